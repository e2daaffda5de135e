package io.riskmodules.config;

import io.riskmodules.failover.HealthCheckConfig;
import io.riskmodules.failover.Node;
import java.util.List;

/**
 * What {@code deployment_config.yaml} holds: the rollout strategy, the nodes, their health checks
 * and the rollback rule.
 *
 * @param strategy {@code deployment.strategy}: {@code rolling}, {@code blue_green} or {@code canary}
 * @param maxSurge {@code deployment.max_surge}: a count or a percentage such as {@code 25%}
 * @param maxUnavailable {@code deployment.max_unavailable}: a count or a percentage
 * @param nodes {@code nodes}, in file order
 * @param healthCheck {@code health_check}
 * @param rollback {@code rollback}
 */
public record DeploymentConfig(String strategy, String maxSurge, String maxUnavailable, List<Node> nodes,
    HealthCheckConfig healthCheck, RollbackConfig rollback) {
  public DeploymentConfig {
    nodes = List.copyOf(nodes);
  }
}
