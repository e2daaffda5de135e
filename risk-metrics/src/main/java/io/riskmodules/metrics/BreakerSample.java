package io.riskmodules.metrics;

import io.riskmodules.breaker.CircuitState;

/**
 * One breaker at one moment, as the {@link MetricsCollector} sampled it: plain values, so that a
 * JSON mapper writes it without custom code. Counts are lifetime totals; the {@code interval*}
 * values cover the time since the previous sample.
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
 * @param failureRate the breaker's failure rate over its sliding window
 * @param slowCallRate the breaker's slow-call rate over its sliding window
 * @param rejectionRate rejected over all calls since the previous sample
 * @param p50Millis median latency of the calls since the previous sample
 * @param p95Millis 95th percentile
 * @param p99Millis 99th percentile
 * @param maxMillis the slowest
 * @param callsPerSecond calls per second since the previous sample
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
    double callsPerSecond) {}
