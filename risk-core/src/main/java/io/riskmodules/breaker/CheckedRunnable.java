package io.riskmodules.breaker;

/** A runnable that may throw a checked exception, for {@link CircuitBreaker#decorateCheckedRunnable}. */
@FunctionalInterface
public interface CheckedRunnable {

  /** Runs, or throws. */
  void run() throws Exception;
}
