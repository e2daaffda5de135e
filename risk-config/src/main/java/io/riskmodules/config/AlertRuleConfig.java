package io.riskmodules.config;

import java.util.Set;

/**
 * One entry of {@code alerting.rules} in {@code alert_config.yaml}: when a breaker enters one of
 * {@code breaker_states}, or a service's risk reaches one of {@code risk_levels}, an alert of
 * {@code severity} fires for that service; it resolves when the breaker closes (or the risk falls
 * below every listed level).
 *
 * @param name {@code name}, unique
 * @param services {@code services}: the services the rule applies to; empty means every service
 * @param event {@code breaker_state} or {@code risk_level}: which of the two lists was given
 * @param matches the states ({@code open}, {@code half_open}, {@code forced_open}, {@code
 *     disabled}, {@code closed}) or levels ({@code low}, {@code medium}, {@code high}, {@code
 *     critical}) that fire the rule
 * @param severity {@code severity}: critical, high, medium, low or info
 */
public record AlertRuleConfig(String name, Set<String> services, String event, Set<String> matches, String severity) {
  public AlertRuleConfig {
    services = Set.copyOf(services);
    matches = Set.copyOf(matches);
  }
}
