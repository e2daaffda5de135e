package io.riskmodules.metrics;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.RegistryEvent;
import java.util.concurrent.atomic.AtomicReference;

/** Event orders that registry events allow and that followers of a registry must survive. */
public final class RegistryRaces {

  private RegistryRaces() {}

  /**
   * Re-creates the first breaker removed from {@code registry} under its name, from a listener
   * subscribed before any other: later subscribers hear the new breaker's Added before the old
   * one's Removed, as when another thread re-creates the name while the removal is delivered.
   *
   * @return the re-created breaker, once there is one
   */
  public static AtomicReference<CircuitBreaker> recreateOnFirstRemoval(CircuitBreakerRegistry registry) {
    AtomicReference<CircuitBreaker> recreated = new AtomicReference<>();
    registry.onEvent(e -> {
      if (e instanceof RegistryEvent.Removed r && recreated.get() == null) {
        recreated.set(registry.breaker(r.breaker().name()));
      }
    });
    return recreated;
  }
}
