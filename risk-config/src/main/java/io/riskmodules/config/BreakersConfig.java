package io.riskmodules.config;

import io.riskmodules.breaker.CircuitBreakerConfig;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code circuit_breaker} section: {@code default}, {@code configs} and {@code services}.
 *
 * @param defaults the settings of services not listed (and the base of those listed)
 * @param services the listed services, in file order
 * @param shared the named shared configs ({@code configs.<name>}, each based on {@code default}),
 *     which a service names with {@code base_config}, in file order
 */
public record BreakersConfig(
    CircuitBreakerConfig defaults, Map<String, ServiceConfig> services, Map<String, CircuitBreakerConfig> shared) {

  public BreakersConfig {
    Objects.requireNonNull(defaults, "defaults");
    services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
    shared = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(shared));
  }

  /** Defaults and services, no shared configs. */
  public BreakersConfig(CircuitBreakerConfig defaults, Map<String, ServiceConfig> services) {
    this(defaults, services, Map.of());
  }

  /** Library defaults, no services. */
  public static BreakersConfig ofDefaults() {
    return new BreakersConfig(CircuitBreakerConfig.ofDefaults(), Map.of());
  }

  /** The settings of {@code service}: its own if listed, else the default. */
  public CircuitBreakerConfig configFor(String service) {
    ServiceConfig s = services.get(service);
    return s == null ? defaults : s.config();
  }

  /** The override of {@code service}; AUTO when not listed. */
  public ServiceState stateOf(String service) {
    ServiceConfig s = services.get(service);
    return s == null ? ServiceState.AUTO : s.state();
  }
}
