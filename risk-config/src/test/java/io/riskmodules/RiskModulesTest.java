package io.riskmodules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitState;
import io.riskmodules.config.ConfigException;
import io.riskmodules.failover.NodeRole;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RiskModulesTest {

  static final Map<String, String> ENV = Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/x",
      "PAGERDUTY_KEY", "pd-key");

  static Path examples(String name) {
    Path p = Path.of("..", "examples", "config", name).toAbsolutePath().normalize();
    return Files.exists(p) ? p : Path.of("examples", "config", name).toAbsolutePath();
  }

  @Test
  void theRfcFilesBuildTheWholeRuntime() {
    try (RiskModules risk = RiskModules.builder()
        .files(examples("circuit_breaker_config.yaml"), examples("deployment_config.yaml"),
            examples("alert_config.yaml"))
        .environment(ENV)
        .startHealthChecks(false) // the RFC's nodes are not on this machine
        .build()) {
      assertThat(risk.breaker("payment_service").config().failureThreshold()).isEqualTo(3);
      assertThat(risk.breaker("inventory_service").config().openTimeout()).isEqualTo(Duration.ofSeconds(20));
      assertThat(risk.breaker("search_service").config()).isEqualTo(risk.config().breakers().defaults());
      assertThat(risk.registry().find("notification_service")).isPresent(); // listed services exist at once
      assertThat(risk.metrics().interval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(risk.metrics().trackedNames()).contains("payment_service", "inventory_service");
      assertThat(risk.fallbackResponse().render(new RuntimeException()).body().toJson())
          .isEqualTo("{\"error\":\"Service temporarily unavailable\",\"retry_after\":30}");
      assertThat(risk.cacheFallback().maxAge()).isEqualTo(Duration.ofSeconds(300));
      assertThat(risk.nodeGroup().orElseThrow().nodes()).extracting(n -> n.role())
          .containsExactly(NodeRole.PRIMARY, NodeRole.SECONDARY, NodeRole.SECONDARY, NodeRole.STANDBY);
      assertThat(risk.riskAssessor().policyFor("payment_service"))
          .isNotSameAs(risk.riskAssessor().policyFor("inventory_service"));
    }
  }

  @Test
  void theStateOverrideTripsAndDisables(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("cb.yaml");
    Files.writeString(file, """
        circuit_breaker:
          services:
            payment_service: {state: forced_open}
            inventory_service: {state: disabled}
            search_service: {}
        """);
    try (RiskModules risk = RiskModules.builder().files(file).startBackgroundTasks(false).build()) {
      assertThat(risk.breaker("payment_service").state()).isEqualTo(CircuitState.FORCED_OPEN);
      assertThat(risk.breaker("inventory_service").state()).isEqualTo(CircuitState.DISABLED);
      assertThat(risk.breaker("search_service").state()).isEqualTo(CircuitState.CLOSED);
    }
  }

  @Test
  void anInvalidFileStartsNothing(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("cb.yaml");
    Files.writeString(file, "circuit_breaker: {default: {failure_threshold: 0}}\n");
    Set<String> before = threadNames();
    assertThatThrownBy(() -> RiskModules.load(file)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cb.yaml:1:29 circuit_breaker.default.failure_threshold: must be at least 1, was 0");
    assertThat(threadNames()).isSubsetOf(before);
  }

  @Test
  void closeStopsEveryThreadItStarted(@TempDir Path dir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: probes are refused at once
    }
    Path cb = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(cb, "circuit_breaker: {services: {payment_service: {}}}\nmonitoring: {metrics_interval_seconds: 0.05}\n");
    Path dep = dir.resolve("deployment_config.yaml");
    Files.writeString(dep, "nodes:\n  - {name: local, role: primary, host: 127.0.0.1, port: " + port + "}\n"
        + "health_check: {interval_seconds: 0.05, timeout_seconds: 1}\n");
    Set<String> before = threadNames();
    runAndClose(cb, dep);
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      System.gc(); // on JDK 17 an HttpClient's selector thread ends once the client is collected
      assertThat(threadNames()).isSubsetOf(before);
    });
  }

  /** Builds, waits for a health probe, closes; holds no reference afterwards. */
  private static void runAndClose(Path cb, Path dep) {
    RiskModules risk = RiskModules.builder().files(cb, dep).eventExecutor(Runnable::run)
        .watch(Duration.ofMillis(50)).build();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> risk.nodeGroup().orElseThrow().status().nodes()
        .get(0).health() != io.riskmodules.failover.NodeHealth.UNKNOWN);
    assertThat(threadNames()).anyMatch(n -> n.startsWith("risk-modules-scheduler"))
        .anyMatch(n -> n.startsWith("risk-modules-config-watch"));
    risk.close();
  }

  /**
   * Live threads but the JVM's shared ones that outlive any user: the common pool, Awaitility's
   * poller, and the JDK's CompletableFuture delay scheduler (a static daemon, started once by the
   * first orTimeout of the process).
   */
  static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(t -> t.getName() + "#" + t.getId())
        .filter(n -> !n.startsWith("ForkJoinPool.commonPool") && !n.startsWith("Attach Listener")
            && !n.startsWith("awaitility") && !n.startsWith("CompletableFutureDelayScheduler"))
        .collect(Collectors.toSet());
  }
}
