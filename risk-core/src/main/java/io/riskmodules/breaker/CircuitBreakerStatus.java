package io.riskmodules.breaker;

import java.util.List;

/**
 * An immutable snapshot of a breaker, made of records and plain values so that any JSON mapper
 * writes it without custom code.
 *
 * <pre>{@code
 * CircuitBreakerStatus s = payments.status();
 * if (s.state() == CircuitState.OPEN) log.info("retry in {} ms", s.remainingOpenMillis());
 * String json = new ObjectMapper().writeValueAsString(s);
 * }</pre>
 *
 * <p>Counts are for the breaker's whole life and always satisfy {@code totalCalls ==
 * successfulCalls + failedCalls + rejectedCalls + ignoredCalls}; rates are over the current
 * sliding window (the one that tripped the breaker while it is OPEN or HALF_OPEN).
 *
 * @param name the breaker's name
 * @param state its state
 * @param totalCalls every call it was asked to run
 * @param successfulCalls calls that ran and succeeded (slow ones included)
 * @param failedCalls calls that ran and failed
 * @param slowCalls calls slower than the slow-call threshold, successful or not
 * @param rejectedCalls calls it did not permit
 * @param ignoredCalls calls that threw an ignored exception
 * @param failureRate failures over recorded calls in the window, from 0 to 1
 * @param slowCallRate slow calls over recorded calls in the window, from 0 to 1
 * @param callsInWindow calls recorded in the window
 * @param consecutiveFailures failures since the last success in CLOSED
 * @param remainingOpenMillis time until probes are let through, when OPEN; else 0
 * @param lastTransitions the last ten transitions, oldest first
 * @param config the settings in force
 */
public record CircuitBreakerStatus(
    String name,
    CircuitState state,
    long totalCalls,
    long successfulCalls,
    long failedCalls,
    long slowCalls,
    long rejectedCalls,
    long ignoredCalls,
    double failureRate,
    double slowCallRate,
    long callsInWindow,
    int consecutiveFailures,
    long remainingOpenMillis,
    List<StateTransition> lastTransitions,
    Settings config) {

  /**
   * Whether the window holds enough calls for its rates to mean something: at least {@link
   * #minimumCalls()} and at least one. Below that the breaker trips on no rate, and {@link
   * #failureRate()} and {@link #slowCallRate()} are "not enough data" however high they are.
   *
   * <pre>{@code
   * CircuitBreakerStatus s = payments.status();
   * double failures = s.enoughCalls() ? s.failureRate() : Double.NaN;
   * }</pre>
   */
  public boolean enoughCalls() {
    return callsInWindow > 0 && callsInWindow >= minimumCalls();
  }

  /**
   * Calls the window needs before its rates count: {@code minimum_number_of_calls}, at most the
   * size of a count window (a window of 5 calls never holds 10).
   */
  public int minimumCalls() {
    return config.slidingWindowType() == SlidingWindowType.COUNT_BASED
        ? Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize())
        : config.minimumNumberOfCalls();
  }

  /**
   * The config in force, as plain values with their units in their names.
   *
   * @param failureThreshold consecutive failures that trip
   * @param successThreshold successful probes that close
   * @param openTimeoutMillis open time after a first trip
   * @param maxOpenTimeoutMillis cap on the grown open time
   * @param openTimeoutMultiplier growth of the open time per consecutive trip
   * @param halfOpenMaxCalls probes in flight at once
   * @param failureRateThreshold failure rate that trips
   * @param slowCallDetection whether slow calls are detected
   * @param slowCallDurationThresholdMillis a slower call is slow
   * @param slowCallRateThreshold slow-call rate that trips
   * @param minimumNumberOfCalls calls needed before rates count
   * @param slidingWindowType count-based or time-based
   * @param slidingWindowSize calls or seconds
   */
  public record Settings(
      int failureThreshold,
      int successThreshold,
      long openTimeoutMillis,
      long maxOpenTimeoutMillis,
      double openTimeoutMultiplier,
      int halfOpenMaxCalls,
      double failureRateThreshold,
      boolean slowCallDetection,
      long slowCallDurationThresholdMillis,
      double slowCallRateThreshold,
      int minimumNumberOfCalls,
      SlidingWindowType slidingWindowType,
      int slidingWindowSize) {

    /** The settings of {@code config}. */
    public static Settings of(CircuitBreakerConfig config) {
      return new Settings(
          config.failureThreshold(),
          config.successThreshold(),
          config.openTimeout().toMillis(),
          config.maxOpenTimeout().toMillis(),
          config.openTimeoutMultiplier(),
          config.halfOpenMaxCalls(),
          config.failureRateThreshold(),
          config.slowCallDetection(),
          config.slowCallDurationThreshold().toMillis(),
          config.slowCallRateThreshold(),
          config.minimumNumberOfCalls(),
          config.slidingWindowType(),
          config.slidingWindowSize());
    }
  }
}
