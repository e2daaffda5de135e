package io.riskmodules.config;

import java.time.Duration;

/**
 * The {@code monitoring} section.
 *
 * @param metricsInterval {@code metrics_interval_seconds}: time between metric samples (default 10 s)
 * @param healthCheckInterval {@code health_check_interval_seconds}: default interval of node
 *     health checks when the deployment file's {@code health_check.interval_seconds} is absent
 *     (default 30 s)
 * @param metricsRetention {@code metrics_retention_seconds}: how long samples are kept (default 1 h)
 */
public record MonitoringConfig(Duration metricsInterval, Duration healthCheckInterval, Duration metricsRetention) {

  /** 10 s, 30 s, 1 h. */
  public static MonitoringConfig ofDefaults() {
    return new MonitoringConfig(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofHours(1));
  }
}
