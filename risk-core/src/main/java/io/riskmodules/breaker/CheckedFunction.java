package io.riskmodules.breaker;

/**
 * A function that may throw a checked exception, for {@link CircuitBreaker#decorateCheckedFunction}.
 *
 * @param <T> the argument
 * @param <R> the result
 */
@FunctionalInterface
public interface CheckedFunction<T, R> {

  /** The result for {@code argument}, or an exception. */
  R apply(T argument) throws Exception;
}
