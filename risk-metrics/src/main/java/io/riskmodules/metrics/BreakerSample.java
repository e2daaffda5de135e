package io.riskmodules.metrics;

import io.riskmodules.breaker.CircuitState;

/**
 * One breaker at one moment, as the {@link MetricsCollector} sampled it: plain values, so that a
 * JSON mapper writes it without custom code. Counts are lifetime totals; the {@code interval*}
 * values cover the time since the previous sample.
 *
 * <p><b>Not enough data.</b> While the breaker's window holds fewer than {@code minimumCalls}
 * calls, its rates mean nothing (the breaker trips on no rate then): {@code failureRate} and
 * {@code slowCallRate} are {@code NaN}, and {@link #enoughCalls()} is false.
 *
 * <pre>{@code
 * if (sample.enoughCalls() && sample.failureRate() > 0.2) page(sample.name());
 * }</pre>
 *
 * @param name the breaker
 * @param epochMillis when it was sampled
 * @param state the breaker's state
 * @param totalCalls all calls so far
 * @param failedCalls failed calls so far
 * @param slowCalls slow calls so far
 * @param rejectedCalls rejected calls so far
 * @param intervalCalls calls since the previous sample
 * @param intervalRejected rejected calls since the previous sample
 * @param failureRate the breaker's failure rate over its sliding window, from 0 to 1; NaN below
 *     the minimum
 * @param slowCallRate the breaker's slow-call rate over its sliding window, from 0 to 1; NaN
 *     below the minimum
 * @param rejectionRate rejected over all calls since the previous sample, from 0 to 1
 * @param p50Millis median latency of the calls since the previous sample
 * @param p95Millis 95th percentile
 * @param p99Millis 99th percentile
 * @param maxMillis the slowest
 * @param callsPerSecond calls per second since the previous sample
 * @param callsInWindow calls in the breaker's sliding window
 * @param minimumCalls calls the window needs before its rates count ({@code
 *     minimum_number_of_calls}, at most a count window's size)
 * @param intervalMillis time since the previous sample (or since sampling began)
 */
public record BreakerSample(
    String name,
    long epochMillis,
    CircuitState state,
    long totalCalls,
    long failedCalls,
    long slowCalls,
    long rejectedCalls,
    long intervalCalls,
    long intervalRejected,
    double failureRate,
    double slowCallRate,
    double rejectionRate,
    double p50Millis,
    double p95Millis,
    double p99Millis,
    double maxMillis,
    double callsPerSecond,
    long callsInWindow,
    int minimumCalls,
    long intervalMillis) {

  /**
   * A sample whose rates count as they are (a window of {@code 0} calls needing {@code 0}), for
   * samples made by hand, in tests or from another source; the interval is derived from the calls
   * per second.
   */
  public BreakerSample(String name, long epochMillis, CircuitState state, long totalCalls, long failedCalls,
      long slowCalls, long rejectedCalls, long intervalCalls, long intervalRejected, double failureRate,
      double slowCallRate, double rejectionRate, double p50Millis, double p95Millis, double p99Millis,
      double maxMillis, double callsPerSecond) {
    this(name, epochMillis, state, totalCalls, failedCalls, slowCalls, rejectedCalls, intervalCalls, intervalRejected,
        failureRate, slowCallRate, rejectionRate, p50Millis, p95Millis, p99Millis, maxMillis, callsPerSecond, 0, 0,
        callsPerSecond > 0 ? Math.round(intervalCalls * 1000.0 / callsPerSecond) : 0);
  }

  /** Whether the window held enough calls for its rates to count (they are not NaN). */
  public boolean enoughCalls() {
    return !Double.isNaN(failureRate) && !Double.isNaN(slowCallRate);
  }
}
