package io.riskmodules.breaker;

/**
 * Sees the permitted calls' outcomes and durations <em>synchronously</em>, on the caller's
 * thread, with no allocation: the hook for latency histograms. It must be cheap and must not
 * block; use a listener ({@link CircuitBreaker#onCall}) to see every call as an event.
 *
 * <p>Which calls: every failed and every ignored call, with weight 1; of the successes, a
 * weighted sample. Calls without a duration are left out: those already running when the
 * observer was attached to a breaker that was not timing calls, and permits released unused. A breaker shows every success while it makes fewer than about 500 a second
 * (per group of threads that share a counter cell); above that, a few hundred a second (200 to
 * 512), at random distances, each standing for the successes since the previous one shown. The weights add up to
 * the calls made, and which calls are shown depends neither on their durations nor on any period
 * in the traffic, so a histogram fed with {@code recordValueWithCount(duration, weight)} has
 * unbiased percentiles and the right total. Sampling keeps the histogram off the call path:
 * recording a value costs five times a whole breaker call, and even calling an observer that does
 * nothing costs a fifth of one.
 *
 * <p>The sampling rate follows the rate of successes, measured every second and looked at every
 * 256 successes or so: a burst is thinned out after a few hundred calls, and after a busy spell at most 512
 * successes pass before every call is shown again (the first one shown carries their weight).
 * Every breaker takes the sampling decision, observed or not (unobserved, it reads no clock for
 * it), so on a breaker that times its calls anyway (slow-call detection on, the default) attaching
 * an observer adds work only to the calls shown; on one that does not, it also adds two clock reads
 * to every call. The first
 * success an observer sees may stand for the few successes made just before it was attached.
 *
 * <p>Durations come from the clock the breaker already times calls with: with the system ticker
 * and a slow-call threshold of 100 ms or more that is a coarse ticker of about 1 ms resolution, so
 * observing costs no extra clock read; otherwise the precise ticker.
 *
 * <pre>{@code
 * Subscription s = breaker.addObserver(
 *     (outcome, nanos, weight) -> histogram.recordValueWithCount(nanos, weight));
 * }</pre>
 */
@FunctionalInterface
public interface CallObserver {
  /**
   * @param outcome {@link CallOutcome#SUCCESS}, {@link CallOutcome#FAILURE} or {@link
   *     CallOutcome#IGNORED}
   * @param durationNanos how long the call ran
   * @param weight how many calls this one stands for, at least 1
   */
  void onCall(CallOutcome outcome, long durationNanos, int weight);
}
