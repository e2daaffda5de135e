package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.SlidingWindowType;

/**
 * The calls of the last {@code size} seconds, in one-second buckets with running totals. Failures
 * and slow successes are added to the current second's bucket under the lock. Fast successes are
 * counted in the window's striped counter and folded into the bucket of the second that ends when
 * the next second begins: the first outcome of a new second takes the lock, rotates the buckets
 * (the calls of the second that left the window leave the totals) and judges the window.
 *
 * <p>Within a second no call leaves the window, so a fast success can neither raise a rate nor
 * lower the number of calls: once a judgement in second {@code s} found the minimum number of
 * calls and no reason to trip, successes ending in {@code s} skip the lock. The rotation to the
 * next second first marks the window unsettled, then reads the striped counter to fold it. A
 * success that checked "settled in {@code s}", incremented, and finds the mark unchanged afterwards
 * was therefore counted before the fold, in {@code s}, where it could not trip the breaker; one that
 * finds it changed was counted in the new second, and judges the window under the lock.
 */
final class TimeWindow extends Window {

  static final long SECOND = 1_000_000_000L;

  private final int size;
  // Guarded by the lock.
  private final int[] calls;
  private final int[] failures;
  private final int[] slow;
  /** Totals over the buckets; the current second's fast successes not folded yet are not in them. */
  private long totalCalls;
  private long totalFailures;
  private long totalSlow;
  /** The ticker second of the newest bucket. */
  private long currentSecond;
  /** Fast successes already folded into buckets. */
  private long folded;

  TimeWindow(int size, long nowNanos, FastLane lane) {
    super(lane);
    this.size = size;
    this.calls = new int[size];
    this.failures = new int[size];
    this.slow = new int[size];
    this.currentSecond = Math.floorDiv(nowNanos, SECOND);
  }

  @Override
  long beginLocked(long nowNanos) {
    if (Math.floorDiv(nowNanos, SECOND) > currentSecond
        && lane.settledSecond != FastLane.NO_SECOND) {
      // before the fold reads the counter: see the class comment
      lane.settledSecond = FastLane.NO_SECOND;
    }
    return lane.sum();
  }

  @Override
  void advance(long nowNanos, long fastNow, long position) {
    long second = Math.floorDiv(nowNanos, SECOND);
    if (second <= currentSecond) {
      return;
    }
    int ending = bucket(currentSecond);
    int pending = (int) (fastNow - folded);
    calls[ending] += pending;
    totalCalls += pending;
    folded = fastNow;
    long expired = Math.min(second - currentSecond, size);
    for (long s = currentSecond + 1; s <= currentSecond + expired; s++) {
      int b = bucket(s);
      totalCalls -= calls[b];
      totalFailures -= failures[b];
      totalSlow -= slow[b];
      calls[b] = 0;
      failures[b] = 0;
      slow[b] = 0;
    }
    currentSecond = second;
  }

  @Override
  void place(long position, boolean failure, boolean slowCall) {
    int b = bucket(currentSecond);
    calls[b]++;
    totalCalls++;
    if (failure) {
      failures[b]++;
      totalFailures++;
    }
    if (slowCall) {
      slow[b]++;
      totalSlow++;
    }
  }

  @Override
  void unplace(long position, boolean failure, boolean slowCall) {
    int b = bucket(currentSecond);
    calls[b]--;
    totalCalls--;
    if (failure) {
      failures[b]--;
      totalFailures--;
    }
    if (slowCall) {
      slow[b]--;
      totalSlow--;
    }
  }

  @Override
  long calls(long fastNow) {
    return totalCalls + (fastNow - folded);
  }

  @Override
  long failures() {
    return totalFailures;
  }

  @Override
  long slowCalls() {
    return totalSlow;
  }

  @Override
  void settle() {
    if (lane.settledSecond != currentSecond) {
      lane.settledSecond = currentSecond;
    }
  }

  @Override
  long capacity() {
    return Long.MAX_VALUE;
  }

  @Override
  boolean fits(CircuitBreakerConfig config) {
    return config.slidingWindowType() == SlidingWindowType.TIME_BASED
        && config.slidingWindowSize() == size;
  }

  private int bucket(long second) {
    return (int) Math.floorMod(second, (long) size);
  }
}
