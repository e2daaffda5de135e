package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.Ticker;
import java.util.List;

/**
 * One state of one breaker, immutable apart from its own counters. A transition replaces the
 * breaker's state object by compare-and-set, so it happens exactly once; outcomes of calls are
 * recorded against the state object that permitted them, so a late outcome never disturbs the
 * state that came after it: a CLOSED state's window is its own, and retired when the state is left.
 */
abstract class BreakerState {

  /** {@link #tryAcquire()}: the state changed under the caller; read the breaker's state again. */
  static final long RETRY = Long.MIN_VALUE;
  /** {@link #tryAcquire()}: the permit of a CLOSED or DISABLED breaker. */
  static final long FREE_PASS = 0;

  final DefaultCircuitBreaker breaker;
  final CircuitBreakerConfig config;
  final CircuitState kind;
  /** How many transitions led here; a reconfigured copy keeps its original's number. */
  final long sequence;
  /** The last ten transitions, the one that entered this state last. */
  final List<StateTransition> history;
  /** Whether calls in this state must be timed (slow-call detection or a time-based window). */
  final boolean timed;
  /** Calls longer than this are slow; {@code Long.MAX_VALUE} when detection is off. */
  final long slowCallNanos;
  /** What times calls when no observer wants precise durations: coarse where precision is moot. */
  final Ticker callTicker;
  /** The call timeout in nanoseconds; 0 when calls are not timed out (one read on the call path). */
  final long callTimeoutNanos;

  BreakerState(
      DefaultCircuitBreaker breaker, CircuitBreakerConfig config, CircuitState kind, long sequence,
      List<StateTransition> history) {
    this.breaker = breaker;
    this.config = config;
    this.kind = kind;
    this.sequence = sequence;
    this.history = history;
    this.slowCallNanos = config.slowCallDetection() ? config.slowCallDurationThreshold().toNanos() : Long.MAX_VALUE;
    this.callTimeoutNanos = config.callTimeout().map(java.time.Duration::toNanos).orElse(0L);
    this.timed = config.slowCallDetection() || needsClockPerCall(config) || callTimeoutNanos != 0;
    boolean preciseSlowCalls = config.slowCallDetection()
        && config.slowCallDurationThreshold().toMillis() < CoarseTicker.MIN_THRESHOLD_MILLIS;
    this.callTicker = preciseSlowCalls ? breaker.ticker : breaker.coarseTicker;
  }

  private static boolean needsClockPerCall(CircuitBreakerConfig config) {
    return config.slidingWindowType() == io.riskmodules.breaker.SlidingWindowType.TIME_BASED;
  }

  /**
   * Asks for a permit.
   *
   * @return a token of zero or more when permitted (handed back with the outcome), {@link #RETRY}
   *     when the state changed, or {@code -(remainingOpenNanos + 1)} when rejected
   */
  abstract long tryAcquire();

  /** A permitted call succeeded; {@code nowNanos} is its end time when timed. */
  void onSuccess(long token, long nowNanos, boolean slow) {}

  /** A permitted call failed. */
  void onFailure(long token, long nowNanos, boolean slow) {}

  /** A permitted call was ignored, cancelled or released: return its permit. */
  void onRelease(long token) {}

  /** This state with another config, same kind and history: no transition. */
  abstract BreakerState withConfig(CircuitBreakerConfig newConfig);

  /** The window whose rates describe this state (the tripping one while OPEN), or null. */
  Window window() {
    return null;
  }

  /** Time until probes are let through; zero unless OPEN. */
  long remainingOpenNanos(long nowNanos) {
    return 0;
  }

  int consecutiveFailures() {
    return 0;
  }

  /** Whether a call of {@code durationNanos} is slow. */
  final boolean isSlow(long durationNanos) {
    return durationNanos > slowCallNanos;
  }
}
