package io.riskmodules.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one breaker's timed calls, on one timer: at most one task is scheduled on the
 * breaker's scheduler at a time (per deadline that comes earlier than the scheduled one), at the
 * earliest deadline of the calls in flight. A call links itself into a stripe (picked by its
 * thread, so that concurrent callers rarely share a lock) and unlinks itself when it ends, so a
 * stripe holds only calls in flight; the timer walks them when it fires, times out the overdue
 * ones and schedules itself again for the earliest left. With calls that end well in time, the
 * scheduler runs this about once per timeout while calls keep coming, and not at all once none
 * has been in flight for a timeout.
 */
final class CallDeadlines {

  private static final VarHandle NEXT_FIRE;

  static {
    try {
      NEXT_FIRE = MethodHandles.lookup().findVarHandle(CallDeadlines.class, "nextFire", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final DefaultCircuitBreaker breaker;
  private final Stripe[] stripes;
  private final int mask;
  /** The time the timer is scheduled for; {@code Long.MAX_VALUE} when it is not. */
  private volatile long nextFire = Long.MAX_VALUE;

  CallDeadlines(DefaultCircuitBreaker breaker) {
    this.breaker = breaker;
    int n = Integer.highestOneBit(Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors() * 2)) * 2 - 1);
    this.stripes = new Stripe[n];
    for (int i = 0; i < n; i++) {
      stripes[i] = new Stripe();
    }
    this.mask = n - 1;
  }

  /** Starts watching {@code call}'s deadline. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
  void add(TimedCall call) {
    Stripe stripe = stripes[(int) Thread.currentThread().getId() & mask];
    call.stripe = stripe;
    stripe.lock();
    try {
      TimedCall head = stripe.head;
      call.next = head;
      if (head != null) {
        head.prev = call;
      }
      stripe.head = call;
    } finally {
      stripe.unlock();
    }
    // after linking: a timer that reset nextFire before this read will see the call in its walk
    wakeBy(call.deadline);
  }

  /** Makes sure the timer fires by {@code due}. */
  private void wakeBy(long due) {
    long next;
    while (due < (next = nextFire)) {
      if (NEXT_FIRE.compareAndSet(this, next, due)) {
        schedule(due);
        return;
      }
    }
  }

  private void schedule(long due) {
    long delay = Math.max(0L, due - breaker.ticker.read());
    try {
      breaker.scheduler().schedule(this::fire, delay, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      // a shut-down scheduler: calls then run without a deadline; the next call tries again
      NEXT_FIRE.compareAndSet(this, due, Long.MAX_VALUE);
      breaker.timerFailed(e);
    }
  }

  /** The timer: times out every overdue call, then schedules itself for the earliest one left. */
  void fire() {
    nextFire = Long.MAX_VALUE; // before the walk: a call linked after its stripe was walked schedules for itself
    long now = breaker.ticker.read();
    List<TimedCall> overdue = null;
    long earliest = Long.MAX_VALUE;
    for (Stripe stripe : stripes) {
      stripe.lock();
      try {
        for (TimedCall c = stripe.head, after; c != null; c = after) {
          after = c.next;
          if (c.deadline - now <= 0) {
            if (c.tryTimeOut()) {
              stripe.unlinkLocked(c);
              if (overdue == null) {
                overdue = new ArrayList<>();
              }
              overdue.add(c);
            }
            // else: it ended just now and unlinks itself
          } else if (c.deadline < earliest) {
            earliest = c.deadline;
          }
        }
      } finally {
        stripe.unlock();
      }
    }
    if (overdue != null) {
      for (TimedCall c : overdue) {
        c.interruptIfAsked();
      }
      for (TimedCall c : overdue) {
        try {
          c.onDeadline(now);
        } catch (Throwable e) {
          breaker.timerFailed(e); // one failing completion must not keep the others from theirs
        }
      }
    }
    if (earliest != Long.MAX_VALUE) {
      wakeBy(earliest);
    }
  }

  /** Calls in flight now (for tests). */
  int inFlight() {
    int n = 0;
    for (Stripe stripe : stripes) {
      stripe.lock();
      try {
        for (TimedCall c = stripe.head; c != null; c = c.next) {
          n++;
        }
      } finally {
        stripe.unlock();
      }
    }
    return n;
  }

  /** Left-hand padding: keeps a stripe's lock and head off the cache lines of its neighbours. */
  abstract static class StripePad {
    long p01, p02, p03, p04, p05, p06, p07, p08;
  }

  /** A list of calls in flight under a spin lock held for a few pointer writes (or the timer's walk). */
  static final class Stripe extends StripePad {
    private static final VarHandle LOCK;

    static {
      try {
        LOCK = MethodHandles.lookup().findVarHandle(Stripe.class, "locked", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile int locked;
    TimedCall head;
    long q01, q02, q03, q04, q05, q06, q07, q08;

    void lock() {
      int spins = 0;
      while (!LOCK.compareAndSet(this, 0, 1)) {
        if (++spins < 100) {
          Thread.onSpinWait();
        } else {
          Thread.yield(); // the holder may have been descheduled
        }
      }
    }

    void unlock() {
      LOCK.setRelease(this, 0);
    }

    void unlink(TimedCall c) {
      lock();
      try {
        unlinkLocked(c);
      } finally {
        unlock();
      }
    }

    void unlinkLocked(TimedCall c) {
      TimedCall p = c.prev;
      TimedCall n = c.next;
      if (p != null) {
        p.next = n;
      } else {
        head = n;
      }
      if (n != null) {
        n.prev = p;
      }
      c.prev = null;
      c.next = null;
    }
  }
}
