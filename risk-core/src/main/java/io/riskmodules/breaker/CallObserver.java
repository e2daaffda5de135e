package io.riskmodules.breaker;

/**
 * Sees every permitted call's outcome and duration <em>synchronously</em>, on the caller's thread,
 * with no allocation: the hook for latency histograms. It must be cheap and must not block; use
 * a listener ({@link CircuitBreaker#onCall}) for anything else. While one is attached the breaker
 * measures every call's duration. Durations come from the clock the breaker already times calls
 * with: with the system ticker and a slow-call threshold of 100 ms or more that is a coarse ticker
 * of about 1 ms resolution, so observing costs no extra clock read; otherwise the precise ticker.
 *
 * <pre>{@code
 * Subscription s = breaker.addObserver((outcome, nanos) -> histogram.recordValue(nanos));
 * }</pre>
 */
@FunctionalInterface
public interface CallObserver {
  /**
   * @param outcome {@link CallOutcome#SUCCESS}, {@link CallOutcome#FAILURE} or {@link
   *     CallOutcome#IGNORED}
   * @param durationNanos how long the call ran
   */
  void onCall(CallOutcome outcome, long durationNanos);
}
