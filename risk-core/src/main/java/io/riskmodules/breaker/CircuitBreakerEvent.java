package io.riskmodules.breaker;

/**
 * What a breaker publishes to its listeners: a closed family, consumed with patterns.
 *
 * <pre>{@code
 * breaker.onEvent(event -> {
 *   if (event instanceof StateTransition t) log.warn("{} -> {}", t.from(), t.to());
 *   else if (event instanceof CallEvent c && c.outcome() == CallOutcome.FAILURE) failures.increment();
 * });
 * }</pre>
 */
public sealed interface CircuitBreakerEvent permits StateTransition, CallEvent, ThresholdExceeded, WouldHaveOpened {

  /** The breaker that published the event. */
  String breakerName();

  /** Wall-clock time of the event, in milliseconds since the epoch (from the injected clock). */
  long epochMillis();

  /** The tags of the breaker that published the event ({@link CircuitBreaker#tags()}). */
  java.util.Map<String, String> tags();
}
