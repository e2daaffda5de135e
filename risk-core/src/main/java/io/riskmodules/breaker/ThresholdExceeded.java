package io.riskmodules.breaker;

import java.util.Map;

/**
 * A trip threshold that a CLOSED breaker's window crossed, with the value measured and the
 * threshold it reached: the typed form of the reason a {@link StateTransition} to OPEN gives in
 * words. Published just before that transition (same breaker, same event executor), to {@link
 * CircuitBreaker#onThresholdExceeded} and {@link CircuitBreaker#onEvent} listeners; never to
 * {@code onStateChange} or {@code onCall} ones.
 *
 * <pre>{@code
 * breaker.onThresholdExceeded(e -> {
 *   if (e instanceof ThresholdExceeded.FailureRate r) {
 *     log.warn("{}: {} of {} calls failed (threshold {})", r.breakerName(), r.failureRate(), r.calls(), r.threshold());
 *   }
 * });
 * }</pre>
 *
 * <p>When several thresholds are crossed by the same outcome, the first in this order is the one
 * published (and named by the transition's reason): consecutive failures, failure rate, slow-call
 * rate. Immutable.
 */
public sealed interface ThresholdExceeded extends CircuitBreakerEvent {

  /** The value measured: a count of failures, or a rate from 0 to 1. */
  double measured();

  /** The configured threshold {@link #measured()} reached. */
  double threshold();

  /** The YAML key of the threshold, for example {@code failure_rate_threshold}. */
  String setting();

  /**
   * {@code failure_threshold} consecutive failures (slow ones included) in the window's order.
   *
   * @param breakerName the breaker
   * @param epochMillis when, in milliseconds since the epoch
   * @param consecutiveFailures failures since the last success
   * @param failureThreshold the configured {@code failure_threshold}
   * @param tags the breaker's tags
   */
  record ConsecutiveFailures(String breakerName, long epochMillis, int consecutiveFailures, int failureThreshold,
      Map<String, String> tags) implements ThresholdExceeded {
    @Override
    public double measured() {
      return consecutiveFailures;
    }

    @Override
    public double threshold() {
      return failureThreshold;
    }

    @Override
    public String setting() {
      return "failure_threshold";
    }
  }

  /**
   * The failure rate over the window reached {@code failure_rate_threshold}.
   *
   * @param breakerName the breaker
   * @param epochMillis when, in milliseconds since the epoch
   * @param failureRate failed over recorded calls in the window, 0 to 1
   * @param failureRateThreshold the configured {@code failure_rate_threshold}, 0 to 1
   * @param calls the calls in the window the rate is over
   * @param tags the breaker's tags
   */
  record FailureRate(String breakerName, long epochMillis, double failureRate, double failureRateThreshold,
      long calls, Map<String, String> tags) implements ThresholdExceeded {
    @Override
    public double measured() {
      return failureRate;
    }

    @Override
    public double threshold() {
      return failureRateThreshold;
    }

    @Override
    public String setting() {
      return "failure_rate_threshold";
    }
  }

  /**
   * The slow-call rate over the window reached {@code slow_call_rate_threshold}.
   *
   * @param breakerName the breaker
   * @param epochMillis when, in milliseconds since the epoch
   * @param slowCallRate slow over recorded calls in the window, 0 to 1
   * @param slowCallRateThreshold the configured {@code slow_call_rate_threshold}, 0 to 1
   * @param calls the calls in the window the rate is over
   * @param tags the breaker's tags
   */
  record SlowCallRate(String breakerName, long epochMillis, double slowCallRate, double slowCallRateThreshold,
      long calls, Map<String, String> tags) implements ThresholdExceeded {
    @Override
    public double measured() {
      return slowCallRate;
    }

    @Override
    public double threshold() {
      return slowCallRateThreshold;
    }

    @Override
    public String setting() {
      return "slow_call_rate_threshold";
    }
  }
}
