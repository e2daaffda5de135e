package io.riskmodules.config;

import java.time.Duration;
import java.util.List;

/**
 * The deployment file's {@code rollback} section.
 *
 * @param autoRollback {@code auto_rollback} (default true)
 * @param failureThreshold {@code failure_threshold}: failed health checks during the observation
 *     period that trigger a rollback (default 3)
 * @param observationPeriod {@code observation_period_seconds} (default 300 s)
 * @param nodes {@code nodes}: the nodes watched; empty means all (each name must be a listed node)
 */
public record RollbackConfig(boolean autoRollback, int failureThreshold, Duration observationPeriod, List<String> nodes) {
  public RollbackConfig {
    nodes = List.copyOf(nodes);
  }
}
