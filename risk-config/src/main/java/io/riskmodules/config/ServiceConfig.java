package io.riskmodules.config;

import io.riskmodules.breaker.CircuitBreakerConfig;
import java.util.Objects;

/**
 * One entry of {@code circuit_breaker.services}: the breaker settings (the default's, overridden
 * key by key) and the operator's state override.
 *
 * @param name the service (and breaker) name
 * @param config the validated breaker settings
 * @param state {@code state:}, default {@link ServiceState#AUTO}
 */
public record ServiceConfig(String name, CircuitBreakerConfig config, ServiceState state) {
  public ServiceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(state, "state");
  }
}
