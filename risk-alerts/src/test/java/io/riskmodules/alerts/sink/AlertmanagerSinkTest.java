package io.riskmodules.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two alert managers standing for two nodes post to one real Prometheus Alertmanager (Debian's
 * {@code prometheus-alertmanager}, started here on a free loopback port with clustering off),
 * which shows one deduplicated alert, and none once both have resolved it.
 */
class AlertmanagerSinkTest {

  private static final List<String> CANDIDATES = List.of(
      "/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path dir;
  private static Process alertmanager;
  private static String baseUrl;

  @BeforeAll
  static void startAlertmanager() throws Exception {
    String binary = CANDIDATES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    Assumptions.assumeTrue(binary != null,
        "Prometheus Alertmanager is not installed (apt-get install -y prometheus-alertmanager; .ci/run does it): "
            + "skipping the test against a real Alertmanager");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, """
        route:
          receiver: blackhole
          group_wait: 1s
        receivers:
          - name: blackhole
        """);
    Files.createDirectories(dir.resolve("data"));
    alertmanager = new ProcessBuilder(binary,
        "--config.file=" + config,
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("alertmanager.log").toFile())
        .start();
    baseUrl = "http://127.0.0.1:" + port;
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> get("/-/ready").statusCode() == 200);
  }

  @AfterAll
  static void stopAlertmanager() throws Exception {
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode activeAlerts() throws Exception {
    return JSON.readTree(get("/api/v2/alerts").body());
  }

  private static AlertManager node(String name, CircuitBreakerRegistry registry) {
    AlertManager m = AlertManager.builder().groupWait(Duration.ZERO)
        .breakerOpenSeverity("payment_service", Severity.CRITICAL)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .sink(AlertmanagerSink.builder().baseUrl(baseUrl).reporter(name).build())
        .build();
    m.attach(registry);
    return m;
  }

  @Test
  void twoNodesReportingTheSameOpenBreakerMakeOneAlertThereAndResolvingItClearsIt() throws Exception {
    CircuitBreakerRegistry registry1 = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build();
    CircuitBreakerRegistry registry2 = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build();
    AlertManager node1 = node("inf-node-1", registry1);
    AlertManager node2 = node("inf-node-2", registry2);
    try {
      registry1.breaker("payment_service").transitionTo(CircuitState.OPEN);
      registry2.breaker("payment_service").transitionTo(CircuitState.OPEN);
      node1.evaluate();
      node2.evaluate();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          node1.stats().get(0).delivered() == 1 && node2.stats().get(0).delivered() == 1);

      JsonNode alerts = activeAlerts();
      assertThat(alerts.size()).isEqualTo(1);
      JsonNode alert = alerts.get(0);
      assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("CircuitBreakerOpen");
      assertThat(alert.get("labels").get("service").asText()).isEqualTo("payment_service");
      assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
      assertThat(alert.get("labels").size()).isEqualTo(3);
      assertThat(alert.get("annotations").get("summary").asText()).isEqualTo("Circuit breaker payment_service is open");
      assertThat(alert.get("status").get("state").asText()).isEqualTo("active");

      registry1.breaker("payment_service").transitionTo(CircuitState.CLOSED);
      registry2.breaker("payment_service").transitionTo(CircuitState.CLOSED);
      node1.evaluate();
      node2.evaluate();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          node1.stats().get(0).delivered() == 2 && node2.stats().get(0).delivered() == 2);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts().size() == 0);
    } finally {
      node1.close(Duration.ofSeconds(2));
      node2.close(Duration.ofSeconds(2));
    }
  }
}
