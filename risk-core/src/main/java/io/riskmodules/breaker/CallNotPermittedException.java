package io.riskmodules.breaker;

import java.time.Duration;

/**
 * Thrown (or handed to a fallback) when a breaker does not permit a call: it is OPEN, FORCED_OPEN,
 * or HALF_OPEN with every probe permit taken.
 *
 * <pre>{@code
 * try {
 *   return payments.execute(() -> client.charge(order));
 * } catch (CallNotPermittedException e) {
 *   response.setHeader("Retry-After", String.valueOf(e.remainingOpenTime().toSeconds()));
 * }
 * }</pre>
 *
 * <p>It carries no stack trace unless the breaker's config asks for one, so rejecting is cheap;
 * the message is only formatted when read.
 */
public final class CallNotPermittedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String breakerName;
  private final CircuitState state;
  private final long remainingOpenNanos;

  /**
   * @param breakerName the breaker that rejected the call
   * @param state its state at the rejection
   * @param remainingOpenNanos time until the breaker lets probes through; 0 when unknown or due
   * @param writableStackTrace whether to fill in the stack trace
   */
  public CallNotPermittedException(
      String breakerName, CircuitState state, long remainingOpenNanos, boolean writableStackTrace) {
    super(null, null, false, writableStackTrace);
    this.breakerName = breakerName;
    this.state = state;
    this.remainingOpenNanos = Math.max(0, remainingOpenNanos);
  }

  /** The name of the breaker that rejected the call. */
  public String breakerName() {
    return breakerName;
  }

  /** The breaker's state when it rejected the call. */
  public CircuitState state() {
    return state;
  }

  /** Time until the breaker lets probes through, or a timed FORCED_OPEN ends; zero when HALF_OPEN or FORCED_OPEN until reset. */
  public Duration remainingOpenTime() {
    return Duration.ofNanos(remainingOpenNanos);
  }

  @Override
  public String getMessage() {
    switch (state) {
      case FORCED_OPEN:
        if (remainingOpenNanos > 0) { // tripFor / tripUntil
          return String.format(java.util.Locale.ROOT, "Circuit '%s' is FORCED_OPEN for another %.1f seconds.",
              breakerName, remainingOpenNanos / 1e9);
        }
        return "Circuit '" + breakerName + "' is FORCED_OPEN; calls are rejected until it is reset.";
      case HALF_OPEN:
        return "Circuit '" + breakerName + "' is HALF_OPEN and every probe permit is taken.";
      default:
        return String.format(java.util.Locale.ROOT, "Circuit '%s' is %s. Retry after %.1f seconds.",
            breakerName, state, remainingOpenNanos / 1e9);
    }
  }
}
