package io.riskmodules.breaker;

/**
 * A registered listener; closing it removes the listener. Closing twice does nothing.
 *
 * <pre>{@code
 * try (Subscription s = breaker.onStateChange(t -> seen.add(t))) { ... }
 * }</pre>
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Removes the listener. */
  @Override
  void close();
}
