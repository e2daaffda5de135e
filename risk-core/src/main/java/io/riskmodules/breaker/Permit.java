package io.riskmodules.breaker;

/**
 * Permission for one call, for code that cannot hand the breaker a lambda (HTTP client
 * interceptors, message listeners). Exactly one of the report methods must be called; later
 * calls are ignored. A permit that is never reported is reclaimed after the config's {@code
 * half_open_probe_timeout} if it was a probe.
 *
 * <pre>{@code
 * Permit permit = breaker.acquirePermit();          // throws CallNotPermittedException
 * long start = System.nanoTime();
 * try {
 *   Response r = chain.proceed(request);
 *   if (r.code() >= 500) permit.onFailure(System.nanoTime() - start);
 *   else permit.onSuccess(System.nanoTime() - start);
 *   return r;
 * } catch (IOException e) {
 *   permit.onError(System.nanoTime() - start, e);
 *   throw e;
 * }
 * }</pre>
 *
 * <p>Thread-safe: it may be reported from another thread than the one that acquired it.
 */
public interface Permit {

  /** The call succeeded after {@code durationNanos}. */
  void onSuccess(long durationNanos);

  /** The call returned {@code result}; the config's result predicate decides if it failed. */
  void onResult(long durationNanos, Object result);

  /**
   * The call threw {@code error}; the config's exception rules decide if it failed or is ignored.
   * A {@link java.util.concurrent.CompletionException} or {@link
   * java.util.concurrent.ExecutionException} with a cause is judged by its cause, as on every path.
   */
  void onError(long durationNanos, Throwable error);

  /** The call failed after {@code durationNanos}, whatever the exception rules say. */
  void onFailure(long durationNanos);

  /** The call did not happen (or its outcome should not count): give the permit back. */
  void release();
}
