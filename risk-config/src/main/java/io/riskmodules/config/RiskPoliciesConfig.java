package io.riskmodules.config;

import java.util.Map;

/**
 * The {@code risk} section of {@code alert_config.yaml}.
 *
 * @param hysteresisPoints {@code hysteresis_points}: points below a level's bound the score must
 *     fall to leave it (default 5)
 * @param defaults {@code default}: the policy of services without their own
 * @param services {@code services}: per-service policies, each the default overridden key by key
 */
public record RiskPoliciesConfig(double hysteresisPoints, RiskPolicyConfig defaults,
    Map<String, RiskPolicyConfig> services) {

  public RiskPoliciesConfig {
    services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
  }

  public static RiskPoliciesConfig ofDefaults() {
    return new RiskPoliciesConfig(5, RiskPolicyConfig.ofDefaults(), Map.of());
  }

  /** The policy of {@code service}. */
  public RiskPolicyConfig policyFor(String service) {
    return services.getOrDefault(service, defaults);
  }
}
