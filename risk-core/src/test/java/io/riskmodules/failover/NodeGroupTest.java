package io.riskmodules.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC-136's four INF nodes as four real HTTP servers on 127.0.0.1: inf-node-1 primary (100),
 * inf-node-2 and -3 secondary (100), inf-node-4 standby (0).
 */
class NodeGroupTest {

  private final AtomicLong nanos = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<InfNode> servers = new ArrayList<>();
  private CircuitBreakerRegistry registry;
  private NodeGroup group;

  @BeforeEach
  void startNodes() throws IOException {
    for (int i = 1; i <= 4; i++) {
      servers.add(new InfNode("inf-node-" + i));
    }
    registry = CircuitBreakerRegistry.builder()
        .defaultConfig(CircuitBreakerConfig.builder().failureThreshold(3).openTimeout(Duration.ofSeconds(30)).build())
        .ticker(nanos::get).eventExecutor(Runnable::run).build();
    group = NodeGroup.builder("inf", registry)
        .node(new Node("inf-node-1", NodeRole.PRIMARY, "127.0.0.1", servers.get(0).port(), 100))
        .node(new Node("inf-node-2", NodeRole.SECONDARY, "127.0.0.1", servers.get(1).port(), 100))
        .node(new Node("inf-node-3", NodeRole.SECONDARY, "127.0.0.1", servers.get(2).port(), 100))
        .node(new Node("inf-node-4", NodeRole.STANDBY, "127.0.0.1", servers.get(3).port(), 0))
        .healthChecks(HealthCheckConfig.builder().timeout(Duration.ofMillis(300)).build())
        .httpClient(http)
        .maxAttempts(4)
        .build();
  }

  @AfterEach
  void stopNodes() {
    servers.forEach(InfNode::close);
  }

  private InfNode server(int n) {
    return servers.get(n - 1);
  }

  /** GET /work on the node with a 300 ms timeout; a non-200 answer is a failure. */
  private String work(Node node) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.uri("/work")).timeout(Duration.ofMillis(300)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(node.name() + " answered HTTP " + r.statusCode());
    }
    return node.name();
  }

  private Map<String, Integer> spread(int calls) throws Exception {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      served.merge(group.callIdempotent(this::work), 1, Integer::sum);
    }
    return served;
  }

  @Test
  void healthyClusterSpreadsOverPrimaryAndSecondariesByWeightAndNeverTheStandby() throws Exception {
    assertThat(spread(300)).containsOnly(Map.entry("inf-node-1", 100), Map.entry("inf-node-2", 100), Map.entry("inf-node-3", 100));
  }

  @Test
  void unequalWeightsAreFollowed() throws Exception {
    NodeGroup weighted = NodeGroup.builder("weighted", registry)
        .node(new Node("a", NodeRole.PRIMARY, "127.0.0.1", server(1).port(), 300))
        .node(new Node("b", NodeRole.SECONDARY, "127.0.0.1", server(2).port(), 100))
        .build();
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      served.merge(weighted.execute(Node::name), 1, Integer::sum);
    }
    assertThat(served).containsOnly(Map.entry("a", 300), Map.entry("b", 100));
  }

  @Test
  void whenThePrimaryDiesItsBreakerCutsItOffAndTrafficSpreadsOverTheSecondaries() throws Exception {
    server(1).work = InfNode.Mode.ERROR;
    Map<String, Integer> served = spread(200);
    assertThat(registry.breaker("inf-node-1").state()).isEqualTo(CircuitState.OPEN);
    assertThat(served).containsOnlyKeys("inf-node-2", "inf-node-3");
    assertThat(served.get("inf-node-2")).isBetween(95, 105);
    assertThat(server(1).workServed).hasValue(0);
  }

  @Test
  void aNonIdempotentCallIsNotRetriedElsewhere() {
    server(1).work = InfNode.Mode.ERROR;
    assertThatThrownBy(() -> group.call(this::work)).isInstanceOf(IOException.class).hasMessageContaining("inf-node-1");
    assertThat(server(2).workServed.get() + server(3).workServed.get()).isZero();
  }

  @Test
  void whenPrimaryAndSecondariesDieTheStandbyServes() throws Exception {
    for (int n = 1; n <= 3; n++) {
      server(n).work = InfNode.Mode.ERROR;
    }
    Map<String, Integer> served = spread(30);
    assertThat(served).containsOnly(Map.entry("inf-node-4", 30));
    assertThat(group.status().nodes()).extracting(NodeStatus::available).containsExactly(false, false, false, true);
  }

  @Test
  void recoveredNodesGetTheirTrafficBack() throws Exception {
    for (int n = 1; n <= 3; n++) {
      server(n).work = InfNode.Mode.ERROR;
    }
    spread(30);
    for (int n = 1; n <= 3; n++) {
      server(n).work = InfNode.Mode.OK;
    }
    nanos.addAndGet(Duration.ofSeconds(30).toNanos());
    spread(30);
    assertThat(List.of("inf-node-1", "inf-node-2", "inf-node-3"))
        .allSatisfy(n -> assertThat(registry.breaker(n).state()).isEqualTo(CircuitState.CLOSED));
    int standbyBefore = server(4).workServed.get();
    assertThat(spread(30)).containsOnlyKeys("inf-node-1", "inf-node-2", "inf-node-3");
    assertThat(server(4).workServed).hasValue(standbyBefore);
  }

  @Test
  void aNodeThatAnswersHealthChecksButFailsCallsIsCutOffByItsBreaker() throws Exception {
    server(2).work = InfNode.Mode.ERROR;
    group.healthChecker().orElseThrow().probeAll();
    group.healthChecker().orElseThrow().probeAll();
    assertThat(group.status().nodes().get(1).health()).isEqualTo(NodeHealth.UP);
    spread(60);
    assertThat(registry.breaker("inf-node-2").state()).isEqualTo(CircuitState.OPEN);
    assertThat(group.status().nodes().get(1).available()).isFalse();
  }

  @Test
  void healthChecksTakeANodeOutAfterUnhealthyThresholdAndBackAfterHealthyThreshold() throws Exception {
    HealthChecker checks = group.healthChecker().orElseThrow();
    List<NodeHealthChanged> changes = new ArrayList<>();
    checks.onHealthChange(changes::add);
    server(3).health = InfNode.Mode.ERROR;
    checks.probeAll();
    checks.probeAll();
    assertThat(checks.health("inf-node-3")).as("2 failed probes < unhealthy_threshold 3").isEqualTo(NodeHealth.UNKNOWN);
    checks.probeAll();
    assertThat(checks.health("inf-node-3")).isEqualTo(NodeHealth.DOWN);
    assertThat(spread(20)).containsOnlyKeys("inf-node-1", "inf-node-2");
    server(3).health = InfNode.Mode.OK;
    checks.probeAll();
    assertThat(checks.health("inf-node-3")).isEqualTo(NodeHealth.DOWN);
    checks.probeAll();
    assertThat(checks.health("inf-node-3")).isEqualTo(NodeHealth.UP);
    assertThat(changes).filteredOn(c -> c.node().name().equals("inf-node-3")).extracting(NodeHealthChanged::to)
        .containsExactly(NodeHealth.DOWN, NodeHealth.UP);
    assertThat(changes.get(changes.size() - 1).reason()).isEqualTo("2 good probes: HTTP 200");
  }

  @Test
  void aHangingNodeIsCutOffByTimeouts() throws Exception {
    server(1).work = InfNode.Mode.HANG;
    server(1).health = InfNode.Mode.HANG;
    Map<String, Integer> served = spread(12);
    assertThat(served).containsOnlyKeys("inf-node-2", "inf-node-3");
    assertThat(registry.breaker("inf-node-1").state()).isEqualTo(CircuitState.OPEN);
    HealthChecker checks = group.healthChecker().orElseThrow();
    for (int i = 0; i < 3; i++) {
      checks.probeAll();
    }
    assertThat(checks.health("inf-node-1")).isEqualTo(NodeHealth.DOWN);
    assertThat(group.status().nodes().get(0).health()).isEqualTo(NodeHealth.DOWN);
  }

  @Test
  void whenNoNodeCanTakeTheCallTheExceptionSaysWhyForEach() throws Exception {
    for (int n = 1; n <= 4; n++) {
      server(n).work = InfNode.Mode.ERROR;
    }
    for (int i = 0; i < 12; i++) {
      try {
        group.callIdempotent(this::work);
      } catch (IOException | NoNodeAvailableException expected) {
        // nodes failing, then breakers opening
      }
    }
    assertThatThrownBy(() -> group.callIdempotent(this::work))
        .isInstanceOfSatisfying(NoNodeAvailableException.class, e -> assertThat(e.reasons()).containsExactly(
            "inf-node-1 (primary): breaker OPEN, retry in 30 s",
            "inf-node-2 (secondary): breaker OPEN, retry in 30 s",
            "inf-node-3 (secondary): breaker OPEN, retry in 30 s",
            "inf-node-4 (standby): breaker OPEN, retry in 30 s"));
    String answer = group.execute(node -> "never", cause -> "fallback: " + cause.getClass().getSimpleName());
    assertThat(answer).isEqualTo("fallback: NoNodeAvailableException");
  }

  @Test
  void startedChecksProbeEveryIntervalOnTheGivenScheduler() {
    NodeGroup checked = NodeGroup.builder("scheduled", registry)
        .node(new Node("only", NodeRole.PRIMARY, "127.0.0.1", server(1).port(), 1))
        .healthChecks(HealthCheckConfig.builder().interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(300)).build())
        .httpClient(http)
        .build();
    java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (HealthChecker checks = checked.healthChecker().orElseThrow()) {
      checks.start(scheduler);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> checks.health("only") == NodeHealth.UP);
      server(1).health = InfNode.Mode.ERROR;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> checks.health("only") == NodeHealth.DOWN);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void statusSerializesToJsonWithCallsServed() throws Exception {
    spread(3);
    JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(group.status()));
    assertThat(json.get("name").asText()).isEqualTo("inf");
    assertThat(json.get("nodes").get(0).get("role").asText()).isEqualTo("PRIMARY");
    assertThat(json.get("nodes").get(0).get("callsServed").asLong()).isEqualTo(1);
    assertThat(json.get("nodes").get(3).get("weight").asInt()).isZero();
    assertThat(json.get("nodes").get(0).get("breakerState").asText()).isEqualTo("CLOSED");
  }

  @Test
  void buildingValidatesTheNodes() {
    assertThatThrownBy(() -> new Node("n", NodeRole.PRIMARY, "h", 8080, 0))
        .hasMessage("nodes[n].weight must be at least 1 for a primary node, was 0");
    assertThatThrownBy(() -> new Node("n", NodeRole.STANDBY, "h", 0, 0)).hasMessage("nodes[n].port must be from 1 to 65535, was 0");
    assertThatThrownBy(() -> NodeGroup.builder("g", registry).node(new Node("a", NodeRole.PRIMARY, "h", 1, 1))
        .node(new Node("a", NodeRole.SECONDARY, "h", 2, 1))).hasMessage("nodes[].name must be unique, 'a' appears twice");
    assertThatThrownBy(() -> NodeGroup.builder("g", registry).build()).hasMessage("nodes must list at least one node, was empty");
    assertThatThrownBy(() -> NodeRole.of("leader")).hasMessage("role must be one of primary, secondary, standby, was 'leader'");
    assertThatThrownBy(() -> HealthCheckConfig.builder().unhealthyThreshold(0).build())
        .hasMessage("health_check.unhealthy_threshold must be at least 1, was 0");
  }
}
