package io.riskmodules.testing;

import static io.riskmodules.testing.RiskAssertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.riskmodules.RiskModules;
import io.riskmodules.failover.NodeGroup;
import io.riskmodules.failover.NodeHealth;
import io.riskmodules.failover.NodeRole;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC-136 §3.1 {@code test_failover}: the four nodes of the RFC's {@code deployment_config.yaml}
 * (a primary, two secondaries and a standby of weight 0), each a loopback HTTP server standing in
 * for the node, its address in the file overridden to 127.0.0.1 and the server's port. Calls
 * move away from a node whose breaker opened, reach the standby only when the others are out,
 * and come back when the node recovers; health checks (on the manual clock) take a node out too.
 */
class RfcFailoverSuiteTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "config");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final ManualClock clock = new ManualClock();
  private final RecordingAlertSink alerts = new RecordingAlertSink();
  private final List<FakeNode> nodes = new ArrayList<>();
  private RiskModules risk;
  private NodeGroup inf;

  /** One node: answers {@code /quote} with its name (or 500 when failing) and {@code /health}. */
  static final class FakeNode {
    final String name;
    final HttpServer server;
    final AtomicInteger quotes = new AtomicInteger();
    volatile boolean failing;
    volatile boolean healthy = true;

    FakeNode(String name) throws IOException {
      this.name = name;
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/quote", ex -> {
        quotes.incrementAndGet();
        answer(ex, failing ? 500 : 200, name);
      });
      server.createContext("/health", ex -> answer(ex, healthy ? 200 : 503, healthy ? "UP" : "DOWN"));
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @BeforeEach
  void start(@TempDir Path dir) throws IOException {
    for (int i = 1; i <= 4; i++) {
      nodes.add(new FakeNode("inf-node-" + i));
    }
    Path deployment = dir.resolve("deployment_config.yaml");
    Files.writeString(deployment, onLoopback(Files.readString(EXAMPLES.resolve("deployment_config.yaml"))));
    Path breakers = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(breakers, YamlChannels.disable(Files.readString(EXAMPLES.resolve("circuit_breaker_config.yaml"))));
    risk = RiskModules.builder()
        .files(breakers, deployment, EXAMPLES.resolve("alert_config.yaml"))
        .clock(clock).ticker(clock).scheduler(clock.scheduler()).eventExecutor(Runnable::run)
        .alertSink(alerts)
        .build();
    clock.beforeEachAdvance(() -> risk.alertManager().evaluate());
    inf = risk.nodeGroup().orElseThrow();
  }

  /** The RFC's file with each node's host and port replaced by its loopback server's; nothing else changed. */
  private String onLoopback(String yaml) {
    StringBuilder out = new StringBuilder();
    FakeNode current = null;
    Pattern name = Pattern.compile("^\\s*- name:\\s*\"?(inf-node-\\d)\"?\\s*$");
    for (String line : yaml.split("\n", -1)) {
      Matcher m = name.matcher(line);
      if (m.matches()) {
        current = nodes.stream().filter(n -> n.name.equals(m.group(1))).findFirst().orElseThrow();
      } else if (current != null && line.strip().startsWith("host:")) {
        line = line.substring(0, line.indexOf("host:")) + "host: \"127.0.0.1\"";
      } else if (current != null && line.strip().startsWith("port:")) {
        line = line.substring(0, line.indexOf("port:")) + "port: " + current.port();
      } else if (!line.startsWith(" ") && !line.isBlank()) {
        current = null;
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }

  @AfterEach
  void stop() {
    if (risk != null) {
      risk.close();
    }
    clock.scheduler().shutdownNow();
    nodes.forEach(n -> n.server.stop(0));
  }

  private FakeNode node(int i) {
    return nodes.get(i - 1);
  }

  private String quote() throws Exception {
    return inf.callIdempotent(node -> {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(node.uri("/quote")).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(node.name() + " answered HTTP " + r.statusCode());
      }
      return r.body();
    });
  }

  private List<String> quotes(int n) throws Exception {
    List<String> served = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      served.add(quote());
    }
    return served;
  }

  private int[] hits() {
    return nodes.stream().mapToInt(n -> n.quotes.get()).toArray();
  }

  private void resetHits() {
    nodes.forEach(n -> n.quotes.set(0));
  }

  @Test
  void theRfcsFourNodesAreLoadedOnLoopback() {
    assertThat(inf.nodes()).extracting(n -> n.role())
        .containsExactly(NodeRole.PRIMARY, NodeRole.SECONDARY, NodeRole.SECONDARY, NodeRole.STANDBY);
    assertThat(inf.nodes()).extracting(n -> n.weight()).containsExactly(100, 100, 100, 0);
    assertThat(inf.nodes()).allSatisfy(n -> assertThat(n.host()).isEqualTo("127.0.0.1"));
  }

  @Test
  void callsSpreadOverThePrimaryAndSecondariesNeverTheStandby() throws Exception {
    List<String> served = quotes(30);

    assertThat(served).containsOnly("inf-node-1", "inf-node-2", "inf-node-3");
    assertThat(hits()).containsExactly(10, 10, 10, 0);
  }

  @Test
  void callsMoveAwayFromANodeWhoseBreakerOpenedAndComeBackWhenItRecovers() throws Exception {
    node(1).failing = true;

    List<String> served = quotes(30);

    assertThat(served).containsOnly("inf-node-2", "inf-node-3"); // failures retried on another node
    assertThat(risk.breaker("inf-node-1")).isOpen().hasFailedCalls(5);
    assertThat(node(1).quotes).hasValue(5); // the open breaker kept every later call away
    assertThat(node(4).quotes).hasValue(0);
    clock.advance(Duration.ofSeconds(10));
    assertThat(alerts).hasFiring("breaker_open:inf-node-1");

    node(1).failing = false;
    clock.advance(Duration.ofSeconds(20)); // the default 30 s open timeout is over
    resetHits();
    quotes(30);

    assertThat(risk.breaker("inf-node-1")).isClosed();
    assertThat(node(1).quotes.get()).isGreaterThanOrEqualTo(8);
    assertThat(hits()[3]).isZero();
    clock.advance(Duration.ofSeconds(10));
    assertThat(alerts).hasResolved("breaker_open:inf-node-1");
  }

  @Test
  void theStandbyServesOnlyWhenTheOthersAreOut() throws Exception {
    node(1).failing = true;
    node(2).failing = true;
    quotes(10);
    assertThat(node(4).quotes).as("standby, while node 3 is available").hasValue(0);

    node(3).failing = true;
    List<String> served = quotes(20);

    assertThat(risk.breaker("inf-node-1")).isOpen();
    assertThat(risk.breaker("inf-node-2")).isOpen();
    assertThat(risk.breaker("inf-node-3")).isOpen();
    assertThat(served.subList(served.size() - 5, served.size())).containsOnly("inf-node-4");
    assertThat(inf.status().nodes()).extracting(s -> s.available()).containsExactly(false, false, false, true);

    nodes.forEach(n -> n.failing = false);
    clock.advance(Duration.ofSeconds(30));
    quotes(15); // probes close the three breakers (success_threshold 3)
    resetHits();
    quotes(30);

    assertThat(hits()).containsExactly(10, 10, 10, 0);
  }

  @Test
  void aNodeFailingItsHealthChecksIsTakenOutAndComesBack() throws Exception {
    node(2).healthy = false;

    clock.advance(Duration.ofSeconds(20)); // rounds at 0, 10 and 20 s: unhealthy_threshold 3

    assertThat(inf.healthChecker().orElseThrow().health("inf-node-2")).isEqualTo(NodeHealth.DOWN);
    assertThat(risk.breaker("inf-node-2")).isClosed();
    quotes(20);
    assertThat(hits()).containsExactly(10, 0, 10, 0);

    node(2).healthy = true;
    clock.advance(Duration.ofSeconds(20)); // healthy_threshold 2
    assertThat(inf.healthChecker().orElseThrow().health("inf-node-2")).isEqualTo(NodeHealth.UP);
    resetHits();
    quotes(30);
    assertThat(hits()).containsExactly(10, 10, 10, 0);
  }
}
