package io.riskmodules.breaker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Manual time with a scheduler on it, for risk-core's own tests (risk-tests' ManualClock is a
 * module further down): {@link #advance} moves the ticker and clock task by task, running each
 * one-shot task due on the advancing thread with the time at its due time. Periodic tasks are not
 * needed by the breaker and not supported.
 */
final class ScheduledTime extends Clock implements Ticker {
  private static final Instant ORIGIN = Instant.parse("2026-01-15T00:00:00Z");

  private final AtomicLong nanos = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong scheduled = new AtomicLong();
  private final Scheduler scheduler = new Scheduler();

  @Override
  public long read() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return ORIGIN.plusNanos(nanos.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Tasks waiting (cancelled ones leave at once). */
  int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Tasks ever scheduled. */
  long scheduledCount() {
    return scheduled.get();
  }

  /** Moves time by {@code d}, running the tasks due on the way, each at its due time. */
  void advance(Duration d) {
    long target = nanos.get() + d.toNanos();
    for (;;) {
      Task<?> next;
      lock.lock();
      try {
        next = queue.peek();
        if (next == null || next.time > target) {
          nanos.set(Math.max(nanos.get(), target));
          return;
        }
        queue.poll();
        nanos.set(Math.max(nanos.get(), next.time));
      } finally {
        lock.unlock();
      }
      next.run();
    }
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long time;
    final long seq = sequence.getAndIncrement();

    Task(Callable<V> callable, long time) {
      super(callable);
      this.time = time;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(time - nanos.get(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> t = (Task<?>) o;
      int c = Long.compare(time, t.time);
      return c != 0 ? c : Long.compare(seq, t.seq);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        lock.lock();
        try {
          queue.remove(this);
        } finally {
          lock.unlock();
        }
      }
      return cancelled;
    }
  }

  private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private <V> Task<V> add(Callable<V> c, long delay, TimeUnit unit) {
      Task<V> t = new Task<>(c, nanos.get() + Math.max(0, unit.toNanos(delay)));
      lock.lock();
      try {
        queue.add(t);
      } finally {
        lock.unlock();
      }
      scheduled.incrementAndGet();
      return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return add(Executors.callable(command, null), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return add(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      throw new UnsupportedOperationException("periodic tasks");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("periodic tasks");
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return false;
    }
  }
}
