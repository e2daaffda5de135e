package io.riskmodules.testing;

import io.riskmodules.breaker.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Time that moves only when a test moves it: a {@link Ticker} for durations, a {@link Clock} for
 * timestamps, and a {@link ScheduledExecutorService} whose tasks run when the time they are due
 * is reached. One object drives breakers, registries, metrics collectors, health checkers, alert
 * managers and the {@code RiskModules} runtime, so a 60 s open timeout or a 10 s sampling
 * interval takes microseconds.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
 *     .ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
 * MetricsCollector collector = MetricsCollector.builder(registry)
 *     .clock(clock).scheduler(clock.scheduler()).interval(Duration.ofSeconds(10)).build();
 * collector.start();
 * clock.advance(Duration.ofSeconds(60));   // six samples taken, the open timeout has passed
 * }</pre>
 *
 * <p><b>Scheduled work.</b> Nothing runs on the thread that schedules it. {@link #advance}
 * moves time forward task by task: each task due by the target runs on the advancing thread with
 * the clock reading its due time, in time order (ties in the order scheduled), periodic tasks again
 * at each period, tasks they schedule included; then the clock reads the target. Work due now
 * (submitted with no delay) runs at the next {@code advance}, {@code advance(Duration.ZERO)} or
 * {@link #runDueTasks()}. A task that throws completes its future exceptionally, and a periodic
 * one then stops, as with the JDK's schedulers. Blocking on a future of a task not yet due waits
 * until another thread advances the clock.
 *
 * <p>Thread-safe. Advances are serialized (a task may itself advance the clock, for example a
 * {@link SimulatedService} call with latency); reading the time never blocks. The clock starts at
 * {@code 2026-01-15T00:00:00Z} and ticker value 0 unless told otherwise.
 */
public final class ManualClock extends Clock implements Ticker {

  /** The instant a clock made with {@link #ManualClock()} starts at. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-15T00:00:00Z");

  private final Instant origin;
  private final ZoneId zone;
  /** Nanoseconds since {@link #origin}; written under {@link #lock}, read without it. */
  private final AtomicLong nanos;
  /** Guards the queue and the time while they change together; never held while a task runs. */
  private final ReentrantLock lock;
  /** Serializes advances; reentrant so that a task may advance the clock. */
  private final ReentrantLock advancing;
  private final Condition changed;
  private final PriorityQueue<Task<?>> queue;
  private final AtomicLong sequence;
  private final Scheduler scheduler;

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /** A clock at {@code start}, in UTC. */
  public ManualClock(Instant start) {
    this.origin = Objects.requireNonNull(start, "start");
    this.zone = ZoneOffset.UTC;
    this.nanos = new AtomicLong();
    this.lock = new ReentrantLock();
    this.advancing = new ReentrantLock();
    this.changed = lock.newCondition();
    this.queue = new PriorityQueue<>();
    this.sequence = new AtomicLong();
    this.scheduler = new Scheduler();
  }

  /** A view of {@code base} in another zone: same time, same tasks. */
  private ManualClock(ManualClock base, ZoneId zone) {
    this.origin = base.origin;
    this.zone = zone;
    this.nanos = base.nanos;
    this.lock = base.lock;
    this.advancing = base.advancing;
    this.changed = base.changed;
    this.queue = base.queue;
    this.sequence = base.sequence;
    this.scheduler = base.scheduler;
  }

  /** Nanoseconds advanced since this clock was made (the {@link Ticker} reading). */
  @Override
  public long read() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(nanos.get());
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** This clock seen from {@code zone}: it moves, and runs tasks, with this one. */
  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(this.zone) ? this : new ManualClock(this, zone);
  }

  /** Time advanced since this clock was made. */
  public Duration elapsed() {
    return Duration.ofNanos(nanos.get());
  }

  /**
   * Moves time forward by {@code amount}, running every task due by then in time order, each with
   * the clock at its due time.
   *
   * @throws IllegalArgumentException if {@code amount} is negative: time never goes back
   */
  public ManualClock advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must not be negative, was " + amount);
    }
    advancing.lock();
    try {
      long target = saturatedAdd(nanos.get(), amount.toNanos());
      runUntil(target);
    } finally {
      advancing.unlock();
    }
    return this;
  }

  /** As {@link #advance(Duration)}, in {@code unit}. */
  public ManualClock advance(long amount, TimeUnit unit) {
    return advance(Duration.ofNanos(unit.toNanos(amount)));
  }

  /** Moves time forward to {@code instant}; nothing happens if it is not after now. */
  public ManualClock advanceTo(Instant instant) {
    Duration d = Duration.between(instant(), instant);
    return advance(d.isNegative() ? Duration.ZERO : d);
  }

  /** Runs the tasks due now, and those they make due now, without moving time; returns how many ran. */
  public int runDueTasks() {
    advancing.lock();
    try {
      return runUntil(nanos.get());
    } finally {
      advancing.unlock();
    }
  }

  /** Tasks waiting to run, periodic ones counted once. */
  public int pendingTasks() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Time until the next task is due, or empty if none is waiting. */
  public java.util.Optional<Duration> nextTaskIn() {
    lock.lock();
    try {
      Task<?> next = queue.peek();
      return next == null ? java.util.Optional.empty()
          : java.util.Optional.of(Duration.ofNanos(Math.max(0, next.time - nanos.get())));
    } finally {
      lock.unlock();
    }
  }

  /**
   * A scheduler on this clock's time: tasks run on the thread that advances the clock. {@link
   * ScheduledExecutorService#shutdown()} cancels its periodic tasks and refuses new ones; one-shot
   * tasks already scheduled still run when their time comes.
   */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  private int runUntil(long target) {
    int ran = 0;
    while (true) {
      Task<?> task;
      lock.lock();
      try {
        task = queue.peek();
        if (task == null || task.time > target) {
          if (target > nanos.get()) {
            nanos.set(target);
          }
          changed.signalAll();
          return ran;
        }
        queue.poll();
        if (task.time > nanos.get()) {
          nanos.set(task.time);
        }
      } finally {
        lock.unlock();
      }
      task.run();
      ran++;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private void enqueue(Task<?> task) {
    lock.lock();
    try {
      if (scheduler.shutdown) {
        throw new RejectedExecutionException("the manual scheduler is shut down");
      }
      queue.add(task);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Puts a periodic task back after a run, unless it was cancelled meanwhile. */
  private void requeue(Task<?> task) {
    boolean shutDown;
    lock.lock();
    try {
      if (task.isCancelled()) {
        return;
      }
      shutDown = scheduler.shutdown;
      if (!shutDown) {
        queue.add(task);
      }
    } finally {
      lock.unlock();
    }
    if (shutDown) {
      task.cancel(false);
    }
  }

  private boolean dequeue(Task<?> task) {
    lock.lock();
    try {
      boolean removed = queue.remove(task);
      changed.signalAll();
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + ", +" + elapsed() + ", " + pendingTasks() + " task(s) pending]";
  }

  /** One scheduled task: due at {@link #time}, ordered by time then by the order scheduled. */
  private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    private final long seq = sequence.getAndIncrement();
    /** Positive: fixed rate; negative: fixed delay; zero: one-shot. */
    private final long period;
    private volatile long time;

    Task(Callable<V> callable, long time) {
      super(callable);
      this.time = time;
      this.period = 0;
    }

    Task(Runnable runnable, long time, long period) {
      super(runnable, null);
      this.time = time;
      this.period = period;
    }

    @Override
    public boolean isPeriodic() {
      return period != 0;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(time - nanos.get(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      if (other == this) {
        return 0;
      }
      if (other instanceof Task<?> t) {
        int byTime = Long.compare(time, t.time);
        return byTime != 0 ? byTime : Long.compare(seq, t.seq);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public void run() {
      if (!isPeriodic()) {
        super.run();
      } else if (super.runAndReset()) {
        time = period > 0 ? saturatedAdd(time, period) : saturatedAdd(nanos.get(), -period);
        requeue(this);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        dequeue(this);
      }
      return cancelled;
    }
  }

  /** The {@link ScheduledExecutorService} view. */
  private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
    /** Written under {@link #lock}. */
    private volatile boolean shutdown;

    private long due(long delay, TimeUnit unit) {
      return saturatedAdd(nanos.get(), Math.max(0, unit.toNanos(delay)));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      Objects.requireNonNull(command, "command");
      Task<Void> task = new Task<>(Executors.callable(command, null), due(delay, unit));
      enqueue(task);
      return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      Objects.requireNonNull(callable, "callable");
      Task<V> task = new Task<>(callable, due(delay, unit));
      enqueue(task);
      return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      Objects.requireNonNull(command, "command");
      if (period <= 0) {
        throw new IllegalArgumentException("period must be positive, was " + period + " " + unit);
      }
      Task<Void> task = new Task<>(command, due(initialDelay, unit), unit.toNanos(period));
      enqueue(task);
      return task;
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      Objects.requireNonNull(command, "command");
      if (delay <= 0) {
        throw new IllegalArgumentException("delay must be positive, was " + delay + " " + unit);
      }
      Task<Void> task = new Task<>(command, due(initialDelay, unit), -unit.toNanos(delay));
      enqueue(task);
      return task;
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
      List<Task<?>> periodic = new ArrayList<>();
      lock.lock();
      try {
        shutdown = true;
        for (Task<?> t : queue) {
          if (t.isPeriodic()) {
            periodic.add(t);
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      periodic.forEach(t -> t.cancel(false));
    }

    @Override
    public List<Runnable> shutdownNow() {
      List<Runnable> left;
      lock.lock();
      try {
        shutdown = true;
        left = new ArrayList<>(queue);
        queue.clear();
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      left.forEach(t -> ((Task<?>) t).cancel(false));
      return left;
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      lock.lock();
      try {
        return shutdown && queue.isEmpty();
      } finally {
        lock.unlock();
      }
    }

    /** Waits, in real time, for another thread to advance the clock past the last task. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      long left = unit.toNanos(timeout);
      lock.lock();
      try {
        while (!(shutdown && queue.isEmpty())) {
          if (left <= 0) {
            return false;
          }
          left = changed.awaitNanos(left);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public String toString() {
      return "ManualClock.scheduler[" + ManualClock.this + "]";
    }
  }
}
