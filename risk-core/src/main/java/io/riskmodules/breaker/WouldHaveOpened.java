package io.riskmodules.breaker;

/**
 * A {@link CircuitState#METRICS_ONLY METRICS_ONLY} breaker's window reached a threshold at which
 * a CLOSED breaker would have opened. The breaker stays METRICS_ONLY and starts a new window, so
 * one event stands for one trip that shadow mode prevented. Delivered to {@link
 * CircuitBreaker#onEvent} listeners.
 *
 * <pre>{@code
 * breaker.onEvent(e -> {
 *   if (e instanceof WouldHaveOpened w) shadowTrips.increment();
 * });
 * }</pre>
 *
 * @param breakerName the breaker
 * @param reason why it would have opened, as a transition's reason says it
 * @param threshold the threshold crossed, typed, as a CLOSED breaker would have published it
 *     before opening (it is not published on its own in METRICS_ONLY: only inside this event)
 * @param failureRate the window's failure rate then
 * @param slowCallRate the window's slow-call rate then
 * @param callsInWindow calls in the window then
 * @param epochMillis when, in milliseconds since the epoch
 * @param tags the breaker's tags
 */
public record WouldHaveOpened(
    String breakerName, String reason, ThresholdExceeded threshold, double failureRate, double slowCallRate, long callsInWindow,
    long epochMillis, java.util.Map<String, String> tags) implements CircuitBreakerEvent {}
