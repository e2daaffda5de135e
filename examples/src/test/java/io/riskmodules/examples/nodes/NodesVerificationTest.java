package io.riskmodules.examples.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskmodules.examples.node.InfNode;
import io.riskmodules.examples.node.NodeOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code nodes} mode against four INF nodes in this JVM on 127.0.0.1, with open timeouts of
 * five seconds: the half-open checks take real but little time, and a loaded machine still gets
 * its rejection checks done while the breakers are OPEN.
 */
class NodesVerificationTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path dir;
  /** Started once: a node costs seconds to start on a busy machine. Each test begins with all healthy. */
  private static final List<InfNode> nodes = new ArrayList<>();
  private static Path verifierConfig;

  @BeforeAll
  static void startFourNodes() throws Exception {
    Path nodeConfig = Files.createDirectories(dir.resolve("node"));
    Files.writeString(nodeConfig.resolve("circuit_breaker_config.yaml"), NodeConfigs.breakers(5));
    for (int i = 1; i <= 4; i++) {
      nodes.add(InfNode.start(NodeOptions.parse(List.of("--name", "inf-node-" + i, "--bind", "127.0.0.1", "--port", "0",
          "--config", nodeConfig.toString(), "--watch-interval", "0"), k -> null)));
    }
    verifierConfig = Files.createDirectories(dir.resolve("verifier"));
  }

  @BeforeEach
  void allHealthy() throws Exception {
    writeDeployment(true);
    for (InfNode n : nodes) {
      post(n, "/admin/health?status=up");
    }
  }

  @AfterAll
  static void stopNodes() {
    nodes.forEach(InfNode::close);
  }

  private static void writeDeployment(boolean autoRollback) throws Exception {
    Files.writeString(verifierConfig.resolve("deployment_config.yaml"),
        NodeConfigs.deployment(nodes.stream().map(InfNode::port).toList(), 2, 300, autoRollback));
  }

  private record Result(int status, String out, String err) {}

  /** Runs the mode; {@code onLine} sees each line it prints as it prints it. */
  private Result run(Consumer<String> onLine, String... args) {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new LineTap(outBytes, onLine), true, StandardCharsets.UTF_8);
    List<String> all = new ArrayList<>(List.of("--config", verifierConfig.toString(), "--interval", "100"));
    all.addAll(List.of(args));
    int status = NodesVerification.run(all, out, new PrintStream(errBytes, true, StandardCharsets.UTF_8), k -> null);
    out.flush();
    return new Result(status, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
  }

  private static void post(InfNode node, String path) throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
  }

  @Test
  void fourHealthyNodesPassEveryCheckAndTheVerdictIsPass() throws Exception {
    Path json = dir.resolve("verdict.json");
    Result r = run(line -> {}, "--observe", "1", "--json", json.toString());
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(NodesVerification.PASS);
    assertThat(r.out()).contains("VERDICT: pass").doesNotContain("FAIL");
    for (String service : List.of("payment_service", "inventory_service", "notification_service")) {
      assertThat(r.out()).containsPattern(service + " +trips after failure_threshold .*PASS");
      assertThat(r.out()).containsPattern(service + " +closes after success_threshold .*PASS");
    }
    // payment trips at its 3 consecutive failures; notification (15) by its failure rate once 10 calls are in
    assertThat(r.out()).containsPattern("payment_service +trips after .* 3 failures, OPEN +3 failures, OPEN +PASS");
    assertThat(r.out()).containsPattern("notification_service +trips after .* 9 failures, OPEN +9 failures, OPEN +PASS");
    assertThat(r.out()).containsPattern("payment_service +closes after success_threshold 5 .* 5 probes, CLOSED +PASS");

    JsonNode verdict = new ObjectMapper().readTree(json.toFile());
    assertThat(verdict.get("verdict").asText()).isEqualTo("pass");
    assertThat(verdict.get("nodes")).hasSize(4);
    // per node: health, 3 services x 7 checks, observation
    assertThat(verdict.get("nodes")).allSatisfy(n -> assertThat(n.get("checks")).hasSize(1 + 3 * 7 + 1));
  }

  @Test
  void aNodeFailingHealthChecksDuringTheObservationMeansRollbackWithTheReason() throws Exception {
    Result r = run(line -> {
      if (line.startsWith("[3/3] observing")) {
        try {
          post(nodes.get(1), "/admin/health?status=down");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }, "--observe", "60", "--services", "payment_service");
    assertThat(r.status()).as(r.out()).isEqualTo(NodesVerification.ROLLBACK);
    assertThat(r.out()).contains("VERDICT: rollback - inf-node-2 failed 2 health checks during the observation period "
        + "(rollback.failure_threshold 2)");
  }

  @Test
  void aNodeThatNeverBecomesHealthyMeansRollbackAtOnce() throws Exception {
    post(nodes.get(2), "/admin/health?status=down");
    Result r = run(line -> {}, "--observe", "60", "--services", "payment_service");
    assertThat(r.status()).isEqualTo(NodesVerification.ROLLBACK);
    assertThat(r.out()).containsPattern("inf-node-3 \\(127.0.0.1:\\d+\\): UNHEALTHY")
        .contains("VERDICT: rollback - inf-node-3 did not become healthy (3 failed health checks in a row")
        .contains("observation skipped");
  }

  @Test
  void withAutoRollbackOffTheRuleMetHasItsOwnStatus() throws Exception {
    writeDeployment(false);
    post(nodes.get(0), "/admin/health?status=down");
    Result r = run(line -> {}, "--observe", "0", "--services", "payment_service");
    assertThat(r.status()).isEqualTo(NodesVerification.ROLLBACK_BY_HAND);
    assertThat(r.out()).contains("auto_rollback is false");
  }

  @Test
  void aFailedCheckWithoutTheRuleMetIsFail() {
    Result r = run(line -> {}, "--observe", "0", "--services", "payment_service,ledger_service");
    assertThat(r.status()).as(r.out()).isEqualTo(NodesVerification.FAIL);
    assertThat(r.out()).containsPattern("ledger_service +the node has this service +listed +not listed +FAIL")
        .contains("VERDICT: fail - 4 of ");
  }

  @Test
  void badCommandLinesAreRefusedWithStatusTwo() {
    Result unknownNode = run(line -> {}, "--node", "inf-node-9=127.0.0.1:1");
    assertThat(unknownNode.status()).isEqualTo(NodesVerification.USAGE);
    assertThat(unknownNode.err()).contains("--node inf-node-9: no such node");
    Result badAddress = run(line -> {}, "--node", "inf-node-1=127.0.0.1");
    assertThat(badAddress.status()).isEqualTo(NodesVerification.USAGE);
    assertThat(badAddress.err()).contains("--node must be NAME=HOST:PORT");
    assertThat(run(line -> {}, "--observe", "-1").err()).contains("--observe must be from 0 to 86400, was -1");
    Result unknownOption = run(line -> {}, "--colour");
    assertThat(unknownOption.status()).isEqualTo(NodesVerification.USAGE);
    assertThat(unknownOption.err()).contains("unknown option --colour");
    assertThat(run(line -> {}, "--observe").err()).contains("--observe needs a value");
  }

  @Test
  void addressesFromTheFileCanBeOverridden() throws Exception {
    // the file says 127.0.0.1:1 for node 1; the override points at the live node
    Files.writeString(verifierConfig.resolve("deployment_config.yaml"), NodeConfigs.deployment(
        List.of(1, nodes.get(1).port(), nodes.get(2).port(), nodes.get(3).port()), 2, 300, true));
    Result r = run(line -> {}, "--observe", "0", "--services", "payment_service",
        "--node", "inf-node-1=127.0.0.1:" + nodes.get(0).port());
    assertThat(r.status()).as(r.out()).isEqualTo(NodesVerification.PASS);
    assertThat(r.out()).contains("inf-node-1 (127.0.0.1:" + nodes.get(0).port() + ", primary)");
  }

  /** Passes bytes through and hands each finished line to a listener. */
  private static final class LineTap extends OutputStream {
    private final OutputStream target;
    private final Consumer<String> onLine;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineTap(OutputStream target, Consumer<String> onLine) {
      this.target = target;
      this.onLine = onLine;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      target.write(b);
      if (b == '\n') {
        onLine.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  /** The node and deployment files of these tests. */
  static final class NodeConfigs {
    static String breakers(int timeoutSeconds) {
      return """
          circuit_breaker:
            default:
              timeout_seconds: %1$d
            services:
              payment_service: { failure_threshold: 3, success_threshold: 5, timeout_seconds: %1$d }
              inventory_service: { failure_threshold: 10, success_threshold: 3, timeout_seconds: %1$d }
              notification_service: { failure_threshold: 15, success_threshold: 2, timeout_seconds: %1$d }
          """.formatted(timeoutSeconds);
    }

    static String deployment(List<Integer> ports, int failureThreshold, int observationSeconds, boolean autoRollback) {
      StringBuilder b = new StringBuilder("nodes:\n");
      String[] roles = {"primary", "secondary", "secondary", "standby"};
      for (int i = 0; i < ports.size(); i++) {
        b.append("  - { name: \"inf-node-").append(i + 1).append("\", role: \"").append(roles[i])
            .append("\", host: \"127.0.0.1\", port: ").append(ports.get(i)).append(", weight: ")
            .append(i == 3 ? 0 : 100).append(" }\n");
      }
      return b + """
          health_check:
            endpoint: "/health"
            interval_seconds: 10
            timeout_seconds: 5
            healthy_threshold: 2
            unhealthy_threshold: 3
          rollback:
            auto_rollback: %s
            failure_threshold: %d
            observation_period_seconds: %d
          """.formatted(autoRollback, failureThreshold, observationSeconds);
    }

    private NodeConfigs() {}
  }
}
