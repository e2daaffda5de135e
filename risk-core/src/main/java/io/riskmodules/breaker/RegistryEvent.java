package io.riskmodules.breaker;

/**
 * A change to a {@link CircuitBreakerRegistry}'s set of breakers or their configs.
 *
 * <pre>{@code
 * registry.onEvent(e -> {
 *   if (e instanceof RegistryEvent.Added a) collector.track(a.breaker());
 *   else if (e instanceof RegistryEvent.Removed r) collector.forget(r.breaker());
 * });
 * }</pre>
 */
public sealed interface RegistryEvent {

  /** The breaker the event is about. */
  CircuitBreaker breaker();

  /** A breaker was created in the registry. */
  record Added(CircuitBreaker breaker) implements RegistryEvent {}

  /** A breaker was removed from the registry. */
  record Removed(CircuitBreaker breaker) implements RegistryEvent {}

  /** A live breaker received a new config. */
  record Reconfigured(CircuitBreaker breaker, CircuitBreakerConfig previous, CircuitBreakerConfig current)
      implements RegistryEvent {}
}
