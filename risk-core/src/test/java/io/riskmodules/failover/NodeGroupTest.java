package io.riskmodules.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.CallNotPermittedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC-136's four INF nodes as four real HTTP servers on 127.0.0.1: inf-node-1 primary (100),
 * inf-node-2 and -3 secondary (100), inf-node-4 standby (0).
 */
class NodeGroupTest {

  /**
   * For every request that is meant to be answered: loopback answers in microseconds, but a machine
   * loaded by parallel builds stalls the JVM (and the node's server threads) for hundreds of
   * milliseconds, and a 300 ms timeout then took all four healthy nodes DOWN.
   */
  private static final Duration ANSWERED = Duration.ofSeconds(10);
  /**
   * For the test that proves timeouts cut off a hanging node: a hang lasts until the node is closed
   * (30 s at most), so a timeout this long still tells it apart, and healthy nodes answer within it
   * even on a loaded machine (a rare late answer is retried elsewhere and changes no assertion).
   */
  private static final Duration HANG_CUTOFF = Duration.ofSeconds(1);

  private final AtomicLong nanos = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<InfNode> servers = new ArrayList<>();
  private CircuitBreakerRegistry registry;
  private NodeGroup group;
  /** The timeout of {@link #work}'s requests. */
  private Duration workTimeout = ANSWERED;

  @BeforeEach
  void startNodes() throws IOException {
    for (int i = 1; i <= 4; i++) {
      servers.add(new InfNode("inf-node-" + i));
    }
    registry = CircuitBreakerRegistry.builder()
        .defaultConfig(CircuitBreakerConfig.builder().failureThreshold(3).openTimeout(Duration.ofSeconds(30)).build())
        .ticker(nanos::get).eventExecutor(Runnable::run).build();
    group = infGroup(ANSWERED);
  }

  /** The four nodes, with health checks timing out after {@code timeout}. */
  private NodeGroup infGroup(Duration timeout) {
    return NodeGroup.builder("inf", registry)
        .node(new Node("inf-node-1", NodeRole.PRIMARY, "127.0.0.1", servers.get(0).port(), 100))
        .node(new Node("inf-node-2", NodeRole.SECONDARY, "127.0.0.1", servers.get(1).port(), 100))
        .node(new Node("inf-node-3", NodeRole.SECONDARY, "127.0.0.1", servers.get(2).port(), 100))
        .node(new Node("inf-node-4", NodeRole.STANDBY, "127.0.0.1", servers.get(3).port(), 0))
        .healthChecks(HealthCheckConfig.builder().timeout(timeout).build())
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

  /** GET /work on the node with {@link #workTimeout}; a non-200 answer is a failure. */
  private String work(Node node) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.uri("/work")).timeout(workTimeout).build(),
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
    // the probes of all four nodes complete, and report changes, on the HTTP client's threads at once
    List<NodeHealthChanged> changes = new CopyOnWriteArrayList<>();
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
    workTimeout = HANG_CUTOFF;
    group = infGroup(HANG_CUTOFF);
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
    for (int i = 0; i < 3; i++) {
      // each call ran and failed on every node: the caller gets the last failure, not NoNodeAvailableException
      assertThatThrownBy(() -> group.callIdempotent(this::work)).isInstanceOf(IOException.class);
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
        .healthChecks(HealthCheckConfig.builder().interval(Duration.ofMillis(20)).timeout(ANSWERED).build())
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

  private NodeGroup unreachableNodes(String name, int count) {
    NodeGroup.Builder b = NodeGroup.builder(name, registry);
    for (int i = 1; i <= count; i++) {
      b.node(new Node(name + "-" + i, i == 1 ? NodeRole.PRIMARY : NodeRole.SECONDARY, "127.0.0.1", i, 1));
    }
    return b.build();
  }

  @Test
  void aCallNotPermittedExceptionThrownByTheCallItselfIsItsFailureNotTheNodesRefusal() {
    NodeGroup three = unreachableNodes("nested", 3);
    AtomicInteger runs = new AtomicInteger();
    CallNotPermittedException inner = new CallNotPermittedException("database", CircuitState.OPEN, 0, true);
    assertThatThrownBy(() -> three.call(node -> {
      runs.incrementAndGet();
      throw inner;
    })).isSameAs(inner);
    assertThat(runs).as("a non-idempotent call runs on one node only").hasValue(1);

    runs.set(0);
    assertThatThrownBy(() -> three.callIdempotent(node -> {
      runs.incrementAndGet();
      throw inner;
    })).isSameAs(inner);
    assertThat(runs).as("each run counts as an attempt, max_attempts 3").hasValue(3);
  }

  @Test
  void anInterruptedCallIsRethrownAtOnceWithTheInterruptFlagSetAndNeverRetriedElsewhere() {
    NodeGroup three = unreachableNodes("interrupted", 3);
    AtomicInteger runs = new AtomicInteger();
    InterruptedException cancelled = new InterruptedException("cancelled");
    try {
      assertThatThrownBy(() -> three.callIdempotent(node -> {
        runs.incrementAndGet();
        throw cancelled;
      })).isSameAs(cancelled);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(runs).hasValue(1);
  }

  @Test
  void whenNodesRunOutBeforeMaxAttemptsTheCallerGetsTheLastFailureWithTheReasonsSuppressed() {
    NodeGroup two = unreachableNodes("two", 2);   // max_attempts 3 by default
    List<String> ran = new ArrayList<>();
    IOException[] last = new IOException[1];
    assertThatThrownBy(() -> two.callIdempotent(node -> {
      ran.add(node.name());
      last[0] = new IOException(node.name() + " down");
      throw last[0];
    })).isInstanceOfSatisfying(IOException.class, e -> {
      assertThat(e).isSameAs(last[0]);
      assertThat(e.getSuppressed()).singleElement().isInstanceOfSatisfying(NoNodeAvailableException.class,
          none -> assertThat(none.reasons()).containsExactly(
              "two-1 (primary): failed: IOException two-1 down", "two-2 (secondary): failed: IOException two-2 down"));
    });
    assertThat(ran).containsExactly("two-1", "two-2");
  }

  @Test
  void theSameExceptionThrownAgainGetsTheSuppressedReasonsOnlyOnce() {
    NodeGroup two = unreachableNodes("again", 2);
    IOException shared = new IOException("down");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> two.callIdempotent(node -> {
        throw shared;
      })).isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).hasSize(1);
  }

  @Test
  void aProbeWhoseBodyStallsTimesOutAsAFailedProbeAndItsRequestIsCancelled() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket s = stalling.accept();
            accepted.add(s);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();   // ... and never the body
          }
        } catch (IOException closed) {
          // done
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      NodeGroup stalled = NodeGroup.builder("stall", registry)
          .node(new Node("s", NodeRole.PRIMARY, "127.0.0.1", stalling.getLocalPort(), 1))
          .healthChecks(HealthCheckConfig.builder().timeout(Duration.ofMillis(100)).unhealthyThreshold(1).build())
          .build();
      HealthChecker checks = stalled.healthChecker().orElseThrow();
      List<NodeHealthChanged> changes = new CopyOnWriteArrayList<>();
      checks.onHealthChange(changes::add);
      long start = System.nanoTime();
      checks.probeAll();
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(checks.health("s")).isEqualTo(NodeHealth.DOWN);
      assertThat(changes).singleElement().extracting(NodeHealthChanged::reason)
          .isEqualTo("1 failed probes: no answer: TimeoutException");
      // the body never comes: any bound proves the cut-off, and a loaded machine stalls for seconds
      assertThat(tookMs).as("round with a 100 ms timeout").isLessThan(ANSWERED.toMillis());
      assertThat(accepted).hasSize(1);
      Socket server = accepted.get(0);
      server.setSoTimeout(5000);
      assertThat(server.getInputStream().skip(Long.MAX_VALUE) >= 0 && server.getInputStream().read() == -1)
          .as("the cancelled probe closed its connection").isTrue();
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void startingHealthChecksTwiceIsRefusedSoNoScheduleLeaks() {
    List<ScheduledFuture<?>> schedules = new ArrayList<>();
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {
      @Override
      public ScheduledFuture<?> scheduleAtFixedRate(Runnable r, long d, long p, TimeUnit u) {
        ScheduledFuture<?> f = super.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);   // never runs here
        schedules.add(f);
        return f;
      }
    };
    try {
      NodeGroup checked = NodeGroup.builder("sched", registry)
          .node(new Node("n", NodeRole.PRIMARY, "127.0.0.1", 1, 1))
          .healthChecks(HealthCheckConfig.ofDefaults()).build();
      HealthChecker checks = checked.healthChecker().orElseThrow();
      checks.start(scheduler);
      assertThatThrownBy(() -> checks.start(scheduler)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already started");
      checks.close();
      assertThat(schedules).hasSize(1).allMatch(ScheduledFuture::isCancelled);
      checks.start(scheduler);
      checks.close();
      assertThat(schedules).hasSize(2).allMatch(ScheduledFuture::isCancelled);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aHostWithUserInfoOrIllegalCharactersIsRejectedWithoutEchoingIt() {
    for (String host : List.of("user:s3cret@10.0.0.1", "s3cret host", "10.0.0.1/s3cret", "10.0.0.1:s3cret")) {
      assertThatThrownBy(() -> new Node("bad", NodeRole.PRIMARY, host, 80, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("nodes[bad].host must be a host name or an IP address only")
          .hasNoCause()
          .message().doesNotContain("s3cret");
    }
    assertThat(new Node("v6", NodeRole.PRIMARY, "::1", 80, 1).uri("/health")).hasToString("http://[::1]:80/health");
    assertThat(new Node("name", NodeRole.PRIMARY, "inf-node-1.example", 80, 1).uri("/health").getHost())
        .isEqualTo("inf-node-1.example");
  }

  @Test
  void anEndpointThatCannotMakeAUriIsRejectedAtBuildWithoutEchoingIt() {
    assertThatThrownBy(() -> HealthCheckConfig.builder().endpoint("/health s3cret").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("health_check.endpoint must be a path that makes a valid URI (no spaces or other illegal characters),"
            + " illegal character at index 7")
        .message().doesNotContain("s3cret");
    assertThat(HealthCheckConfig.builder().endpoint("/health?deep=true").build().endpoint()).isEqualTo("/health?deep=true");
  }

  @Test
  void aNodeWhoseProbeCannotBeSentDoesNotStopTheRoundForTheOthers() {
    int badPort = server(2).port();
    HttpClient failingForOneNode = new DelegatingHttpClient(http) {
      @Override
      public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        if (request.uri().getPort() == badPort) {
          throw new IllegalArgumentException("cannot send to http://user:s3cret@" + request.uri().getAuthority());
        }
        return super.sendAsync(request, handler);
      }
    };
    NodeGroup checked = NodeGroup.builder("partly", registry)
        .node(new Node("good", NodeRole.PRIMARY, "127.0.0.1", server(1).port(), 1))
        .node(new Node("bad", NodeRole.SECONDARY, "127.0.0.1", badPort, 1))
        .healthChecks(HealthCheckConfig.builder().timeout(ANSWERED).healthyThreshold(1).unhealthyThreshold(1).build())
        .httpClient(failingForOneNode)
        .build();
    HealthChecker checks = checked.healthChecker().orElseThrow();
    List<NodeHealthChanged> changes = new CopyOnWriteArrayList<>();
    checks.onHealthChange(changes::add);
    checks.probeAll();
    assertThat(checks.health("good")).isEqualTo(NodeHealth.UP);
    assertThat(checks.health("bad")).isEqualTo(NodeHealth.DOWN);
    assertThat(changes).extracting(NodeHealthChanged::reason)
        .contains("1 failed probes: probe not sent: IllegalArgumentException")
        .noneMatch(reason -> reason.contains("s3cret"));
  }

  /** An HttpClient passing everything to another, for tests to override one method. */
  private static class DelegatingHttpClient extends HttpClient {
    private final HttpClient to;

    DelegatingHttpClient(HttpClient to) {
      this.to = to;
    }

    @Override public Optional<CookieHandler> cookieHandler() { return to.cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return to.connectTimeout(); }
    @Override public Redirect followRedirects() { return to.followRedirects(); }
    @Override public Optional<ProxySelector> proxy() { return to.proxy(); }
    @Override public SSLContext sslContext() { return to.sslContext(); }
    @Override public SSLParameters sslParameters() { return to.sslParameters(); }
    @Override public Optional<Authenticator> authenticator() { return to.authenticator(); }
    @Override public Version version() { return to.version(); }
    @Override public Optional<Executor> executor() { return to.executor(); }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws IOException, InterruptedException {
      return to.send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      return to.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
        HttpResponse.PushPromiseHandler<T> push) {
      return to.sendAsync(request, handler, push);
    }
  }
}
