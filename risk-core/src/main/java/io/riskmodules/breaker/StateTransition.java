package io.riskmodules.breaker;

import java.time.Instant;
import java.util.Map;

/**
 * One change of a breaker's state. Each transition happens exactly once and listeners receive
 * them in the order they happened; {@code sequence} numbers them from 1 per breaker.
 *
 * @param breakerName the breaker
 * @param from the state left
 * @param to the state entered
 * @param epochMillis when, in milliseconds since the epoch
 * @param sequence the position of this transition in the breaker's history, from 1
 * @param reason why, in a few words (for example {@code "failure rate 60.0% >= 50.0%"})
 * @param tags the breaker's tags
 */
public record StateTransition(
    String breakerName, CircuitState from, CircuitState to, long epochMillis, long sequence, String reason,
    Map<String, String> tags)
    implements CircuitBreakerEvent {

  /** A transition of a breaker without tags. */
  public StateTransition(
      String breakerName, CircuitState from, CircuitState to, long epochMillis, long sequence, String reason) {
    this(breakerName, from, to, epochMillis, sequence, reason, Map.of());
  }

  /** {@link #epochMillis()} as an {@link Instant}. */
  public Instant instant() {
    return Instant.ofEpochMilli(epochMillis);
  }
}
