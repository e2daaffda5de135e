package io.riskmodules.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a set of config files says, validated. Sections no file gave hold their defaults;
 * {@link #deployment()} is empty without a deployment file. Immutable; secrets print as {@code
 * [secret]}.
 *
 * <pre>{@code
 * RiskConfig config = ConfigLoader.builder().build()
 *     .load(Path.of("config/circuit_breaker_config.yaml"), Path.of("config/deployment_config.yaml"));
 * config.breakers().configFor("payment_service").failureThreshold();   // 3
 * }</pre>
 *
 * @param files the files read, as given
 * @param metadata every file's {@code metadata} entries (later files win on equal keys)
 * @param breakers {@code circuit_breaker}
 * @param monitoring {@code monitoring}
 * @param alertChannels {@code alerts.channels}
 * @param fallback {@code fallback}
 * @param deployment {@code deployment}, {@code nodes}, {@code health_check}, {@code rollback}
 * @param alerting {@code alerting}
 * @param risk {@code risk}
 */
public record RiskConfig(List<String> files, Map<String, String> metadata, BreakersConfig breakers,
    MonitoringConfig monitoring, List<AlertChannelConfig> alertChannels, FallbackConfig fallback,
    Optional<DeploymentConfig> deployment, AlertingConfig alerting, RiskPoliciesConfig risk) {

  public RiskConfig {
    files = List.copyOf(files);
    metadata = Map.copyOf(metadata);
    alertChannels = List.copyOf(alertChannels);
  }
}
