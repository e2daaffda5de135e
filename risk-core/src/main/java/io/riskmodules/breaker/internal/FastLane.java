package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;

/**
 * What a fast success of a {@link Window} reads and writes: the window's count of successes
 * recorded without its lock, and whether the window is settled (see {@link Window}). A CLOSED
 * state holds it beside its window, so that a success never reads the window object, whose lines
 * every failure writes under the lock.
 *
 * <p>Why a separate object, made before its window and padded after its fields: on a contended
 * breaker each line a failure writes was last written by another core, and each line a success
 * reads must not be one of them. The window's lock state and the fields it guards share the
 * window object's lines ({@link Window} is its own lock); the successes' fields share none of them.
 */
final class FastLane extends FastLanePad {

  FastLane(long settledSecond) {
    super(settledSecond);
  }
}

/** The fields, after the counter's own. */
abstract class FastLaneFields extends StripedCounter {
  /** {@link #settledSecond} of a count window: settled in every second. */
  static final long ANY_SECOND = Long.MAX_VALUE;
  /** {@link #settledSecond} of a time window that is not settled. */
  static final long NO_SECOND = Long.MIN_VALUE;

  /**
   * The config under which a fast success cannot trip the window, or null: set by a judgement
   * that found enough calls and no reason to trip, cleared by a trip decision and by retirement.
   */
  volatile CircuitBreakerConfig settledFor;
  /**
   * The ticker second in which fast successes may skip the lock: {@link #ANY_SECOND} for a count
   * window, else the second of a time window's last settling, or {@link #NO_SECOND}; written under
   * the window's lock.
   */
  volatile long settledSecond;

  FastLaneFields(long settledSecond) {
    this.settledSecond = settledSecond;
  }

  /** Whether a fast success at {@code nowNanos} is still in the span the last settling covered. */
  final boolean settledAt(long nowNanos) {
    long second = settledSecond;
    return second == ANY_SECOND || Math.floorDiv(nowNanos, TimeWindow.SECOND) == second;
  }
}

/** A cache line of padding after the fields: the window object is allocated next. */
@SuppressWarnings("unused")
abstract class FastLanePad extends FastLaneFields {
  private long p00;
  private long p01;
  private long p02;
  private long p03;
  private long p04;
  private long p05;
  private long p06;
  private long p07;

  FastLanePad(long settledSecond) {
    super(settledSecond);
  }
}
