package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.SlidingWindowType;

/**
 * The calls of the last {@code size} seconds, in one-second buckets with running totals. Every
 * outcome takes the lock briefly (expiring buckets can raise a rate, so every call is evaluated);
 * the count-based window is the lock-free one.
 */
final class TimeWindow extends Window {

  private static final long SECOND = 1_000_000_000L;

  private final int size;
  private final int[] calls;
  private final int[] failures;
  private final int[] slow;
  private long totalCalls;
  private long totalFailures;
  private long totalSlow;
  /** The ticker second of the newest bucket; guarded by the lock. */
  private long currentSecond;

  TimeWindow(int size, long nowNanos) {
    this.size = size;
    this.calls = new int[size];
    this.failures = new int[size];
    this.slow = new int[size];
    this.currentSecond = Math.floorDiv(nowNanos, SECOND);
  }

  @Override
  String recordSuccess(CircuitBreakerConfig config, long nowNanos, boolean slowCall) {
    lock.lock();
    try {
      consecutiveFailures = 0;
      int bucket = rotate(nowNanos);
      add(bucket, false, slowCall);
      return evaluate(config, 0, totalCalls, totalFailures, totalSlow);
    } finally {
      lock.unlock();
    }
  }

  @Override
  String recordFailure(CircuitBreakerConfig config, long nowNanos, boolean slowCall) {
    lock.lock();
    try {
      consecutiveFailures++;
      int bucket = rotate(nowNanos);
      add(bucket, true, slowCall);
      return evaluate(config, consecutiveFailures, totalCalls, totalFailures, totalSlow);
    } finally {
      lock.unlock();
    }
  }

  @Override
  Counts counts(long nowNanos) {
    lock.lock();
    try {
      rotate(nowNanos);
      return new Counts(totalCalls, totalFailures, totalSlow);
    } finally {
      lock.unlock();
    }
  }

  @Override
  boolean fits(CircuitBreakerConfig config) {
    return config.slidingWindowType() == SlidingWindowType.TIME_BASED
        && config.slidingWindowSize() == size;
  }

  private void add(int bucket, boolean failed, boolean slowCall) {
    calls[bucket]++;
    totalCalls++;
    if (failed) {
      failures[bucket]++;
      totalFailures++;
    }
    if (slowCall) {
      slow[bucket]++;
      totalSlow++;
    }
  }

  /** Empties the buckets of seconds that left the window; returns the bucket of {@code nowNanos}. */
  private int rotate(long nowNanos) {
    long second = Math.floorDiv(nowNanos, SECOND);
    if (second > currentSecond) {
      long expired = Math.min(second - currentSecond, size);
      for (long s = currentSecond + 1; s <= currentSecond + expired; s++) {
        int b = (int) Math.floorMod(s, (long) size);
        totalCalls -= calls[b];
        totalFailures -= failures[b];
        totalSlow -= slow[b];
        calls[b] = 0;
        failures[b] = 0;
        slow[b] = 0;
      }
      currentSecond = second;
    }
    return (int) Math.floorMod(currentSecond, (long) size);
  }
}
