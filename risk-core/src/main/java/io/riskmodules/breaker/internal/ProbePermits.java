package io.riskmodules.breaker.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The probes of one breaker in flight, shared by all its HALF_OPEN episodes (a probe still running
 * from an earlier episode counts against the next one) and by every config it is given: the limit
 * is read at each request, so a reconfigure that changes {@code half_open_max_calls} keeps counting
 * the probes already out.
 *
 * <p>Plain bookkeeping under one lock: HALF_OPEN admits a handful of probes, so a lock costs
 * nothing there, and makes "at most the limit in flight, each released once" evident.
 */
final class ProbePermits {

  /** What {@link #acquire} returns when no probe may start. */
  static final long NONE = -1;
  /** Until the first HALF_OPEN: most breakers never need room for a probe. */
  private static final long[] NO_PROBES = new long[0];

  private final ReentrantLock lock = new ReentrantLock();
  /** Ids of the probes in flight, in {@code [0, held)}; guarded by the lock. */
  private long[] ids = NO_PROBES;
  /** When each of them was permitted (ticker nanos); guarded by the lock. */
  private long[] since = NO_PROBES;
  private int held;
  private long lastId;

  /**
   * Permits a probe if fewer than {@code limit} are in flight, after reclaiming, oldest first, as
   * many of those held for {@code timeoutNanos} or more as that takes (their outcomes will not
   * count). After a reconfigure lowered the limit below the probes in flight, stuck ones are still
   * reclaimed, so that the breaker cannot stay HALF_OPEN for good.
   *
   * @return the probe's id (positive), or {@link #NONE}
   */
  long acquire(int limit, long nowNanos, long timeoutNanos, DefaultCircuitBreaker breaker) {
    long[] reclaimed = null;
    long id = NONE;
    lock.lock();
    try {
      // the oldest overdue probes first, only as many as it takes to admit this one
      while (held >= limit) {
        int oldest = -1;
        for (int i = 0; i < held; i++) {
          // ids rise with every permit, and removal reorders the slots: ties go to the lower id
          if (nowNanos - since[i] >= timeoutNanos && (oldest < 0 || since[i] < since[oldest]
              || since[i] == since[oldest] && ids[i] < ids[oldest])) {
            oldest = i;
          }
        }
        if (oldest < 0) {
          break;
        }
        if (reclaimed == null) {
          reclaimed = new long[held];
        }
        reclaimed[held - 1] = nowNanos - since[oldest];
        remove(oldest);
      }
      if (held < limit) {
        if (held == ids.length) {
          ids = java.util.Arrays.copyOf(ids, Math.max(4, held * 2));
          since = java.util.Arrays.copyOf(since, Math.max(4, held * 2));
        }
        id = ++lastId;
        ids[held] = id;
        since[held] = nowNanos;
        held++;
      }
    } finally {
      lock.unlock();
    }
    if (reclaimed != null) {
      for (long heldNanos : reclaimed) {
        if (heldNanos > 0) {
          breaker.logReclaimedProbe(0, heldNanos / 1000);
        }
      }
    }
    return id;
  }

  /** Ends the probe {@code id}; false if it was reclaimed meanwhile (or already ended). */
  boolean release(long id) {
    lock.lock();
    try {
      for (int i = 0; i < held; i++) {
        if (ids[i] == id) {
          remove(i);
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void remove(int i) {
    held--;
    ids[i] = ids[held];
    since[i] = since[held];
  }
}
