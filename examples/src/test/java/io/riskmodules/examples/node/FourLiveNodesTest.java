package io.riskmodules.examples.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC-136's four INF nodes, live: four node processes on 127.0.0.1, each with its own copy of the
 * config, scraped every second by a real Prometheus (Debian's {@code prometheus}) and sending
 * alerts to a real Alertmanager (Debian's {@code prometheus-alertmanager}), both started here on
 * free loopback ports with temporary config and storage. Faults injected on one node show in
 * Prometheus as exactly that node's breaker open; the same open breaker on two nodes is one alert
 * in Alertmanager; rewriting every node's config file to {@code state: forced_open} for a service
 * forces its breaker open on all four without a restart.
 */
class FourLiveNodesTest {

  private static final List<String> PROMETHEUS = List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus");
  private static final List<String> ALERTMANAGER = List.of(
      "/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;
  private final List<Process> servers = new ArrayList<>();
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.process.destroy();
    }
    for (Process p : servers) {
      p.destroy();
    }
    for (NodeProcess n : nodes) {
      n.close();
    }
    for (Process p : servers) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    // the logs outlive the temporary directory, for a failure's diagnosis
    try (var logs = Files.list(dir)) {
      Path keep = Files.createDirectories(Path.of("target", "four-live-nodes-logs"));
      for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // diagnosis only
    }
  }

  private static String binary(List<String> candidates) {
    return candidates.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static ConditionFactory patiently() {
    // a loaded two-core machine: generous bounds, quick polls
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
  }

  private static HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Process startServer(List<String> command, String log) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    servers.add(p);
    return p;
  }

  /**
   * The series of an instant query, as node (or instance) -> value. Queries read {@code last_over_time} over a
   * few seconds: on a loaded machine a scrape can time out, and a failed scrape marks every series
   * of its target stale at once.
   */
  private static Map<String, String> query(String prometheus, String promql) throws Exception {
    JsonNode r = JSON.readTree(send("GET", prometheus + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
    assertThat(r.get("status").asText()).isEqualTo("success");
    Map<String, String> out = new java.util.TreeMap<>();
    for (JsonNode series : r.at("/data/result")) {
      // Prometheus's own series (up) carry the target's instance; the nodes' carry their node tag
      JsonNode node = series.at("/metric/node");
      out.put(node.isMissingNode() ? series.at("/metric/instance").asText() : node.asText(), series.at("/value/1").asText());
    }
    return out;
  }

  /** Each target's health, last error and scrape time, for a failure's message. */
  private static String targets(String prometheus) throws Exception {
    StringBuilder b = new StringBuilder();
    for (JsonNode t : JSON.readTree(send("GET", prometheus + "/api/v1/targets").body()).at("/data/activeTargets")) {
      b.append('\n').append(t.at("/labels/node").asText(t.at("/labels/instance").asText())).append(' ')
          .append(t.get("health").asText()).append(' ').append(t.get("lastScrapeDuration").asText()).append("s ")
          .append(t.get("lastError").asText());
    }
    return b.toString();
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void prometheusSeesExactlyTheFaultyNodesBreakerOpenAlertmanagerHoldsOneAlertAndAReloadReachesAllFour()
      throws Exception {
    String prometheusBinary = binary(PROMETHEUS);
    String alertmanagerBinary = binary(ALERTMANAGER);
    Assumptions.assumeTrue(prometheusBinary != null,
        "Prometheus is not installed (apt-get install -y prometheus; .ci/run does it): skipping the four-live-nodes test");
    Assumptions.assumeTrue(alertmanagerBinary != null, "Prometheus Alertmanager is not installed "
        + "(apt-get install -y prometheus-alertmanager; .ci/run does it): skipping the four-live-nodes test");

    // Alertmanager first: the nodes send to it
    int amPort = freePort();
    Path amConfig = dir.resolve("alertmanager.yml");
    Files.writeString(amConfig, """
        route:
          receiver: blackhole
          group_wait: 1s
        receivers:
          - name: blackhole
        """);
    Files.createDirectories(dir.resolve("am-data"));
    startServer(List.of(alertmanagerBinary, "--config.file=" + amConfig, "--storage.path=" + dir.resolve("am-data"),
        "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address="), "alertmanager.log");
    String alertmanager = "http://127.0.0.1:" + amPort;

    // four nodes, each with a config directory of its own, as on four machines
    List<NodeProcess.Launched> launched = new ArrayList<>();
    List<Path> configs = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      Path config = NodeTestConfig.write(dir.resolve("node-" + i), 120);
      configs.add(config);
      launched.add(NodeProcess.launch("inf-node-" + i, config, dir, Map.of(),
          "--alertmanager", alertmanager, "--watch-interval", "250"));
    }
    for (NodeProcess.Launched l : launched) {
      nodes.add(l.awaitListening(Duration.ofSeconds(120)));
    }

    // Prometheus scraping them every second
    int promPort = freePort();
    StringBuilder targets = new StringBuilder();
    for (NodeProcess n : nodes) {
      targets.append(targets.length() == 0 ? "" : ", ").append("'127.0.0.1:").append(n.port).append("'");
    }
    Path promConfig = dir.resolve("prometheus.yml");
    Files.writeString(promConfig, """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: inf-nodes
            metrics_path: /metrics
            static_configs:
              - targets: [%s]
        """.formatted(targets));
    startServer(List.of(prometheusBinary, "--config.file=" + promConfig,
        "--storage.tsdb.path=" + dir.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + promPort),
        "prometheus.log");
    String prometheus = "http://127.0.0.1:" + promPort;
    patiently().until(() -> send("GET", alertmanager + "/-/ready").statusCode() == 200);
    patiently().untilAsserted(() -> assertThat(query(prometheus, "max_over_time(up{job=\"inf-nodes\"}[1m]) == 1"))
        .as("nodes scraped at least once; targets: %s", targets(prometheus)).hasSize(4));
    patiently().until(() -> query(prometheus,
        "last_over_time(riskmodules_breaker_state{name=\"payment_service\",state=\"closed\"}[15s]) == 1").size() == 4);

    // faults on inf-node-2 only: its payment breaker opens at failure_threshold 3
    NodeProcess faulty = nodes.get(1);
    assertThat(send("POST", faulty.baseUrl() + "/admin/faults/payment_service?mode=fail").statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", faulty.baseUrl() + "/call/payment_service").statusCode()).isEqualTo(502);
    }
    assertThat(send("GET", faulty.baseUrl() + "/call/payment_service").statusCode()).isEqualTo(503);
    patiently().untilAsserted(() -> assertThat(query(prometheus,
        "last_over_time(riskmodules_breaker_state{name=\"payment_service\",state=\"open\"}[15s]) == 1")).containsOnlyKeys("inf-node-2"));
    assertThat(query(prometheus, "last_over_time(riskmodules_breaker_state{name=\"payment_service\",state=\"closed\"}[15s]) == 1"))
        .containsOnlyKeys("inf-node-1", "inf-node-3", "inf-node-4");

    // Alertmanager: one alert for the service; the same breaker open on a second node is the same alert
    patiently().untilAsserted(() -> assertThat(paymentAlerts(alertmanager)).hasSize(1));
    assertThat(deliveredToAlertmanager(nodes.get(2))).as("inf-node-3 has sent nothing yet").isZero();
    NodeProcess second = nodes.get(2);
    send("POST", second.baseUrl() + "/admin/faults/payment_service?mode=fail");
    for (int i = 0; i < 3; i++) {
      send("GET", second.baseUrl() + "/call/payment_service");
    }
    patiently().untilAsserted(() -> assertThat(query(prometheus,
        "last_over_time(riskmodules_breaker_state{name=\"payment_service\",state=\"open\"}[15s]) == 1"))
        .containsOnlyKeys("inf-node-2", "inf-node-3"));
    patiently().until(() -> deliveredToAlertmanager(second) >= 1);
    List<JsonNode> alerts = paymentAlerts(alertmanager);
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).at("/labels/severity").asText()).isEqualTo("critical");
    assertThat(alerts.get(0).at("/status/state").asText()).isEqualTo("active");

    // hot reload: every node's file now forces inventory_service open
    for (Path config : configs) {
      writeAtomically(config.resolve("circuit_breaker_config.yaml"), NodeTestConfig.breakers(120, "auto", "forced_open"));
    }
    for (NodeProcess n : nodes) {
      patiently().untilAsserted(() -> assertThat(breakerState(n, "inventory_service")).as(n.name).isEqualTo("FORCED_OPEN"));
      HttpResponse<String> rejected = send("GET", n.baseUrl() + "/call/inventory_service");
      assertThat(rejected.statusCode()).as(n.name).isEqualTo(503);
      assertThat(rejected.headers().firstValue("Retry-After")).as(n.name).isPresent();
      assertThat(breakerState(n, "notification_service")).as(n.name).isEqualTo("CLOSED");
    }
    patiently().untilAsserted(() -> assertThat(query(prometheus,
        "last_over_time(riskmodules_breaker_state{name=\"inventory_service\",state=\"forced_open\"}[15s]) == 1"))
        .containsOnlyKeys("inf-node-1", "inf-node-2", "inf-node-3", "inf-node-4"));
    assertThat(query(prometheus, "last_over_time(risk_config_reloads_total{outcome=\"applied\"}[15s]) >= 1")).hasSize(4);
  }

  private static List<JsonNode> paymentAlerts(String alertmanager) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : JSON.readTree(send("GET", alertmanager + "/api/v2/alerts").body())) {
      if (a.at("/labels/alertname").asText().equals("CircuitBreakerOpen")
          && a.at("/labels/service").asText().equals("payment_service")) {
        out.add(a);
      }
    }
    return out;
  }

  /** Alerts the node's Alertmanager sink has had accepted so far. */
  private static long deliveredToAlertmanager(NodeProcess node) throws Exception {
    for (JsonNode sink : JSON.readTree(send("GET", node.baseUrl() + "/status").body()).get("alert_sinks")) {
      if (sink.get("sink").asText().equals("alertmanager")) {
        return sink.get("delivered").asLong();
      }
    }
    return 0;
  }

  private static String breakerState(NodeProcess node, String service) throws Exception {
    for (JsonNode b : JSON.readTree(send("GET", node.baseUrl() + "/status").body()).get("breakers")) {
      if (b.get("name").asText().equals(service)) {
        return b.get("state").asText();
      }
    }
    return "missing";
  }
}
