package io.riskmodules.config;

import java.util.List;
import java.util.Set;

/**
 * One entry of {@code alerting.inhibit_rules}: while an alert of {@code source_severity} fires,
 * alerts of {@code target_severities} that share the {@code equal} labels are not sent.
 *
 * @param sourceSeverity {@code source_severity}
 * @param targetSeverities {@code target_severities}
 * @param equal {@code equal}: labels both alerts must share (default {@code [service]})
 */
public record InhibitRuleConfig(String sourceSeverity, Set<String> targetSeverities, List<String> equal) {
  public InhibitRuleConfig {
    targetSeverities = Set.copyOf(targetSeverities);
    equal = List.copyOf(equal);
  }
}
