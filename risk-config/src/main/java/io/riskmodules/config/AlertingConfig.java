package io.riskmodules.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code alerting} section of {@code alert_config.yaml}: which breaker transitions and risk
 * levels raise alerts of which severity, how alerts are grouped, repeated, resolved and inhibited.
 *
 * @param groupBy {@code group_by}: labels alerts are grouped by ({@code service}, {@code rule},
 *     {@code severity}; default {@code [service]})
 * @param groupWait {@code group_wait_seconds}: how long a new group waits for more alerts before
 *     it is sent (default 10 s)
 * @param repeatInterval {@code repeat_interval_seconds}: a still-firing alert is sent again after
 *     this long (default 1 h)
 * @param resolveTimeout {@code resolve_timeout_seconds}: a firing alert that is not raised again
 *     for this long resolves by itself (default 5 min)
 * @param rules {@code rules}
 * @param inhibitRules {@code inhibit_rules}
 */
public record AlertingConfig(List<String> groupBy, Duration groupWait, Duration repeatInterval, Duration resolveTimeout,
    List<AlertRuleConfig> rules, List<InhibitRuleConfig> inhibitRules) {

  public AlertingConfig {
    groupBy = List.copyOf(groupBy);
    rules = List.copyOf(rules);
    inhibitRules = List.copyOf(inhibitRules);
  }

  /**
   * Without an alert file: a breaker that opens or is forced open raises {@code high}; a risk
   * level of {@code critical} raises {@code critical}, {@code high} raises {@code high}; critical
   * inhibits high, medium and low of the same service.
   */
  public static AlertingConfig ofDefaults() {
    return new AlertingConfig(List.of("service"), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofMinutes(5),
        List.of(
            new AlertRuleConfig("breaker_open", java.util.Set.of(), "breaker_state",
                java.util.Set.of("open", "forced_open"), "high"),
            new AlertRuleConfig("risk_critical", java.util.Set.of(), "risk_level", java.util.Set.of("critical"),
                "critical"),
            new AlertRuleConfig("risk_high", java.util.Set.of(), "risk_level", java.util.Set.of("high"), "high")),
        List.of(new InhibitRuleConfig("critical", java.util.Set.of("high", "medium", "low"), List.of("service"))));
  }
}
