package io.riskmodules.examples.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Config directories for node tests: the RFC's services and thresholds, open timeouts short
 * enough to wait for in real time, no external alert channels, and nodes on 127.0.0.1.
 */
final class NodeTestConfig {

  private NodeTestConfig() {}

  /** The breaker file with open timeouts of {@code timeoutSeconds} and {@code state:} of payment_service as given. */
  static String breakers(int timeoutSeconds, String paymentState) {
    return breakers(timeoutSeconds, paymentState, "auto");
  }

  /** The breaker file with open timeouts of {@code timeoutSeconds} and the given {@code state:} of two services. */
  static String breakers(int timeoutSeconds, String paymentState, String inventoryState) {
    return """
        version: "1.0.0"
        metadata:
          name: "risk-modules-circuit-breaker"
          environment: "test"
        circuit_breaker:
          default:
            failure_threshold: 5
            success_threshold: 3
            timeout_seconds: %1$d
            half_open_max_calls: 3
            failure_rate_threshold: 0.5
            slow_call_duration_threshold: 2000
            slow_call_rate_threshold: 0.8
          services:
            payment_service:
              failure_threshold: 3
              success_threshold: 5
              timeout_seconds: %1$d
              state: %2$s
            inventory_service:
              failure_threshold: 10
              success_threshold: 3
              timeout_seconds: %1$d
              state: %3$s
            notification_service:
              failure_threshold: 15
              success_threshold: 2
              timeout_seconds: %1$d
        monitoring:
          metrics_interval_seconds: 1
          health_check_interval_seconds: 30
        fallback:
          default_response:
            status_code: 503
            body:
              error: "Service temporarily unavailable"
              retry_after: 30
        """.formatted(timeoutSeconds, paymentState, inventoryState);
  }

  static final String ALERTS = """
      version: "1.0.0"
      alerting:
        group_wait_seconds: 0
        send_resolved: true
        breaker_open:
          severity: "high"
          services:
            payment_service: "critical"
      """;

  /** A deployment file listing {@code ports} as inf-node-1.. on 127.0.0.1. */
  static String deployment(List<Integer> ports, int failureThreshold, int observationSeconds) {
    StringBuilder nodes = new StringBuilder();
    String[] roles = {"primary", "secondary", "secondary", "standby"};
    for (int i = 0; i < ports.size(); i++) {
      String role = roles[Math.min(i, roles.length - 1)];
      nodes.append("  - name: \"inf-node-").append(i + 1).append("\"\n")
          .append("    role: \"").append(role).append("\"\n")
          .append("    host: \"127.0.0.1\"\n")
          .append("    port: ").append(ports.get(i)).append('\n')
          .append("    weight: ").append(role.equals("standby") ? 0 : 100).append('\n');
    }
    return """
        version: "1.0.0"
        deployment:
          strategy: "rolling"
          max_surge: "25%%"
          max_unavailable: "25%%"
        nodes:
        %shealth_check:
          endpoint: "/health"
          interval_seconds: 10
          timeout_seconds: 5
          healthy_threshold: 2
          unhealthy_threshold: 3
        rollback:
          auto_rollback: true
          failure_threshold: %d
          observation_period_seconds: %d
        """.formatted(nodes, failureThreshold, observationSeconds);
  }

  /** Writes the breaker and alert files (and no deployment file) into {@code dir}. */
  static Path write(Path dir, int timeoutSeconds) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("circuit_breaker_config.yaml"), breakers(timeoutSeconds, "auto"));
      Files.writeString(dir.resolve("alert_config.yaml"), ALERTS);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
