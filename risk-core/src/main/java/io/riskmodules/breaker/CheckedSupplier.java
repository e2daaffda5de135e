package io.riskmodules.breaker;

/**
 * A supplier that may throw a checked exception, for {@link
 * CircuitBreaker#decorateCheckedSupplier}: {@code () -> client.fetch(id)} where {@code fetch}
 * throws {@code IOException}.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface CheckedSupplier<T> {

  /** The result, or an exception. */
  T get() throws Exception;
}
