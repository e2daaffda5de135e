package io.riskmodules.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code alerting} section of {@code alert_config.yaml}: the severity of each alert, by
 * service, when a breaker opens or is forced open and when a service's risk reaches a level; and
 * how alerts are grouped, repeated, resolved and inhibited.
 *
 * @param groupWait {@code group_wait_seconds}: how long a new group of alerts waits for more
 *     before it is sent (default 10 s; 0 sends at once)
 * @param repeatInterval {@code repeat_interval_seconds}: a still-firing alert is sent again after
 *     this long (default 4 h)
 * @param resolveTimeout {@code resolve_timeout_seconds}: an alert raised by hand that is not raised
 *     again for this long resolves by itself (default 5 min)
 * @param sendResolved {@code send_resolved}: whether channels hear when an alert resolves
 *     (default true)
 * @param breakerOpen {@code breaker_open}: severity of an OPEN breaker (default high)
 * @param breakerForcedOpen {@code breaker_forced_open}: severity of a breaker forced open by an
 *     operator (default medium)
 * @param riskThreshold {@code risk_level.threshold}: the lowest risk level that raises an alert
 *     (default high)
 * @param riskSeverities {@code risk_level.severities}: level to severity (default each level's
 *     own word: high to high, critical to critical, ...)
 * @param riskSeveritiesByService {@code risk_level.services}: per service, level to severity,
 *     over the defaults
 * @param inhibit {@code inhibit}: the inhibition rules; when given they replace the defaults
 *     (breaker_open and breaker_forced_open each inhibit risk_high)
 */
public record AlertingConfig(Duration groupWait, Duration repeatInterval, Duration resolveTimeout,
    boolean sendResolved, SeverityByService breakerOpen, SeverityByService breakerForcedOpen, String riskThreshold,
    Map<String, String> riskSeverities, Map<String, Map<String, String>> riskSeveritiesByService,
    List<InhibitRuleConfig> inhibit) {

  /** Alert kinds, for {@code inhibit}. */
  public static final List<String> KINDS = List.of("breaker_open", "breaker_forced_open", "risk_high", "custom");

  public AlertingConfig {
    riskSeverities = Map.copyOf(riskSeverities);
    riskSeveritiesByService = Map.copyOf(riskSeveritiesByService);
    inhibit = List.copyOf(inhibit);
  }

  /** The alert manager's defaults. */
  public static AlertingConfig ofDefaults() {
    return new AlertingConfig(Duration.ofSeconds(10), Duration.ofHours(4), Duration.ofMinutes(5), true,
        new SeverityByService("high", Map.of()), new SeverityByService("medium", Map.of()), "high",
        Map.of("low", "low", "medium", "medium", "high", "high", "critical", "critical"), Map.of(),
        List.of(new InhibitRuleConfig("breaker_open", "risk_high"),
            new InhibitRuleConfig("breaker_forced_open", "risk_high")));
  }

  /**
   * A severity with per-service exceptions.
   *
   * @param severity {@code severity}: for every service not listed
   * @param services {@code services}: service name to severity
   */
  public record SeverityByService(String severity, Map<String, String> services) {
    public SeverityByService {
      services = Map.copyOf(services);
    }

    /** The severity for {@code service}. */
    public String severityFor(String service) {
      return services.getOrDefault(service, severity);
    }
  }
}
