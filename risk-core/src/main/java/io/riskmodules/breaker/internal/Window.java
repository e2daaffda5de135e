package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sliding window of a CLOSED breaker: recorded outcomes, consecutive failures and the decision
 * to trip. The lock guards only the window's own arithmetic, never user code or listeners.
 */
abstract class Window {

  final ReentrantLock lock = new ReentrantLock();

  /** Failures since the last success; written under the lock, reset without it by successes. */
  volatile int consecutiveFailures;

  /**
   * Records a success that ended at {@code nowNanos}.
   *
   * @return why the breaker must trip, or null
   */
  abstract String recordSuccess(CircuitBreakerConfig config, long nowNanos, boolean slow);

  /** Records a failure that ended at {@code nowNanos}; returns why the breaker must trip, or null. */
  abstract String recordFailure(CircuitBreakerConfig config, long nowNanos, boolean slow);

  /** Calls, failures and slow calls now in the window. */
  abstract Counts counts(long nowNanos);

  /**
   * The CLOSED state that recorded into this window was left: from now on the window keeps its
   * counts as they are, and outcomes of calls that state permitted change nothing.
   */
  void retire() {}

  /** Whether this window can serve a breaker reconfigured to {@code config}. */
  abstract boolean fits(CircuitBreakerConfig config);

  /** A window of the type and size {@code config} asks for. */
  static Window create(CircuitBreakerConfig config, DefaultCircuitBreaker owner, long nowNanos) {
    switch (config.slidingWindowType()) {
      case TIME_BASED:
        return new TimeWindow(config.slidingWindowSize(), nowNanos);
      case COUNT_BASED:
      default:
        return new CountWindow(config.slidingWindowSize(), owner);
    }
  }

  /** The trip decision, shared by both window types; call with the lock held. */
  static String evaluate(
      CircuitBreakerConfig config, int consecutive, long calls, long failures, long slow) {
    if (consecutive >= config.failureThreshold()) {
      return consecutive + " consecutive failures (failure_threshold " + config.failureThreshold() + ")";
    }
    long minimum = Math.min(config.minimumNumberOfCalls(), windowCapacity(config));
    if (calls < minimum || calls == 0) {
      return null;
    }
    double failureRate = (double) failures / calls;
    if (failures > 0 && failureRate >= config.failureRateThreshold()) {
      return String.format(Locale.ROOT, "failure rate %.1f%% >= %.1f%% over %d calls",
          failureRate * 100, config.failureRateThreshold() * 100, calls);
    }
    double slowRate = (double) slow / calls;
    if (config.slowCallDetection() && slow > 0 && slowRate >= config.slowCallRateThreshold()) {
      return String.format(Locale.ROOT, "slow-call rate %.1f%% >= %.1f%% over %d calls",
          slowRate * 100, config.slowCallRateThreshold() * 100, calls);
    }
    return null;
  }

  private static long windowCapacity(CircuitBreakerConfig config) {
    switch (config.slidingWindowType()) {
      case COUNT_BASED:
        return config.slidingWindowSize();
      default:
        return Long.MAX_VALUE;
    }
  }

  /** What a window holds at one moment. */
  record Counts(long calls, long failures, long slow) {
    static final Counts EMPTY = new Counts(0, 0, 0);

    double failureRate() {
      return calls == 0 ? 0.0 : (double) failures / calls;
    }

    double slowRate() {
      return calls == 0 ? 0.0 : (double) slow / calls;
    }
  }
}
