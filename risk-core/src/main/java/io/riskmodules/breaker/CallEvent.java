package io.riskmodules.breaker;

/**
 * The outcome of one call, published only while a call listener is registered (without one the
 * success path allocates nothing).
 *
 * @param breakerName the breaker
 * @param outcome how the call ended
 * @param durationNanos how long it ran; 0 for rejected calls, and when no configured feature
 *     measures durations
 * @param slow whether it was slower than the slow-call threshold
 * @param error the exception it threw, or null
 * @param epochMillis when it ended, in milliseconds since the epoch
 * @param tags the breaker's tags
 */
public record CallEvent(
    String breakerName, CallOutcome outcome, long durationNanos, boolean slow, Throwable error, long epochMillis,
    java.util.Map<String, String> tags)
    implements CircuitBreakerEvent {

  /** A call event of a breaker without tags. */
  public CallEvent(
      String breakerName, CallOutcome outcome, long durationNanos, boolean slow, Throwable error, long epochMillis) {
    this(breakerName, outcome, durationNanos, slow, error, epochMillis, java.util.Map.of());
  }
}
