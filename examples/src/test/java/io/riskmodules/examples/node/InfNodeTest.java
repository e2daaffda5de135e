package io.riskmodules.examples.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node in this JVM, spoken to over loopback HTTP as a client would. */
class InfNodeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;
  private InfNode node;

  @BeforeEach
  void start() throws Exception {
    NodeTestConfig.write(dir, 60);
    node = InfNode.start(NodeOptions.parse(
        List.of("--name", "inf-node-t", "--bind", "127.0.0.1", "--port", "0", "--config", dir.toString(),
            "--watch-interval", "0"), Map.<String, String>of()::get));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode breaker(String service) throws Exception {
    for (JsonNode b : JSON.readTree(send("GET", "/status").body()).get("breakers")) {
      if (b.get("name").asText().equals(service)) {
        return b;
      }
    }
    throw new AssertionError("no breaker " + service + " in /status");
  }

  @Test
  void healthStatusAndMetricsDescribeTheNode() throws Exception {
    HttpResponse<String> health = send("GET", "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");

    JsonNode status = JSON.readTree(send("GET", "/status").body());
    assertThat(status.get("node").asText()).isEqualTo("inf-node-t");
    assertThat(status.get("breakers")).extracting(b -> b.get("name").asText())
        .containsExactly("inventory_service", "notification_service", "payment_service");
    assertThat(status.get("breakers")).allSatisfy(b -> assertThat(b.get("state").asText()).isEqualTo("CLOSED"));
    assertThat(breaker("payment_service").get("config").get("failure_threshold").asInt()).isEqualTo(3);
    assertThat(status.get("risk").get("payment_service").asText()).isEqualTo("LOW");
    assertThat(status.get("alerts")).isEmpty();

    HttpResponse<String> metrics = send("GET", "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(metrics.body()).containsPattern(
        "riskmodules_breaker_state\\{[^}]*name=\"payment_service\"[^}]*node=\"inf-node-t\"[^}]*state=\"closed\"[^}]*} 1");
  }

  @Test
  void paymentServiceTripsAfterThreeFailuresThenAnswersWithTheFallbackAndRetryAfter() throws Exception {
    assertThat(send("GET", "/call/payment_service").statusCode()).isEqualTo(200);
    assertThat(send("POST", "/admin/faults/payment_service?mode=fail").statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", "/call/payment_service").statusCode()).as("failure %d", i + 1).isEqualTo(502);
    }
    assertThat(breaker("payment_service").get("state").asText()).isEqualTo("OPEN");
    long invoked = JSON.readTree(send("GET", "/status").body()).get("downstream_calls").get("payment_service").asLong();

    HttpResponse<String> rejected = send("GET", "/call/payment_service");
    assertThat(rejected.statusCode()).isEqualTo(503);
    assertThat(rejected.headers().firstValue("Retry-After")).hasValueSatisfying(
        v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    JsonNode body = JSON.readTree(rejected.body());
    assertThat(body.get("error").asText()).isEqualTo("Service temporarily unavailable");
    assertThat(body.get("retry_after").asLong()).isEqualTo(Long.parseLong(rejected.headers().firstValue("Retry-After").get()));
    assertThat(JSON.readTree(send("GET", "/status").body()).get("downstream_calls").get("payment_service").asLong())
        .as("a rejected call never reaches the downstream").isEqualTo(invoked);
    assertThat(breaker("inventory_service").get("state").asText()).as("other services unaffected").isEqualTo("CLOSED");

    assertThat(send("POST", "/admin/reset/payment_service").statusCode()).isEqualTo(200);
    assertThat(breaker("payment_service").get("state").asText()).isEqualTo("CLOSED");
  }

  @Test
  void slowModeDelaysTheAnswer() throws Exception {
    assertThat(send("POST", "/admin/faults/inventory_service?mode=slow&latency_ms=300").statusCode()).isEqualTo(200);
    long start = System.nanoTime();
    assertThat(send("GET", "/call/inventory_service").statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    JsonNode status = JSON.readTree(send("GET", "/status").body());
    assertThat(status.get("faults").get("inventory_service").asText()).isEqualTo("slow 300 ms");
  }

  @Test
  void healthCanBeForcedDownForRollbackDrills() throws Exception {
    assertThat(send("POST", "/admin/health?status=down").statusCode()).isEqualTo(503);
    assertThat(send("GET", "/health").statusCode()).isEqualTo(503);
    assertThat(send("POST", "/admin/health?status=up").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void badRequestsAreRefusedWithReasons() throws Exception {
    HttpResponse<String> unknown = send("GET", "/call/no_such_service");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("payment_service");
    assertThat(JSON.readTree(send("GET", "/status").body()).get("breakers")).hasSize(3);
    assertThat(send("POST", "/admin/faults/payment_service?mode=explode").body()).contains("mode must be ok, fail or slow");
    assertThat(send("POST", "/admin/faults/payment_service?mode=slow&latency_ms=x").statusCode()).isEqualTo(400);
    assertThat(send("GET", "/admin/faults/payment_service?mode=fail").statusCode()).isEqualTo(405);
    assertThat(send("DELETE", "/health").statusCode()).isEqualTo(405);
    assertThat(send("GET", "/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void optionsAreValidatedWithNameValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> NodeOptions.parse(List.of("--port", "70000", "--config", dir.toString()), k -> null))
        .hasMessage("--port must be from 0 to 65535, was 70000");
    assertThatThrownBy(() -> NodeOptions.parse(List.of("--colour"), k -> null)).hasMessageStartingWith("unknown option --colour");
    assertThatThrownBy(() -> NodeOptions.parse(List.of("--config", dir.resolve("nope").toString()), k -> null))
        .hasMessageContaining("--config must be a directory");
    NodeOptions fromEnv = NodeOptions.parse(List.of(), Map.of("INF_NODE_NAME", "inf-node-3", "INF_NODE_PORT", "9090",
        "INF_NODE_CONFIG_DIR", dir.toString(), "INF_NODE_ADMIN_TOKEN", "s3cret-token")::get);
    assertThat(fromEnv.name()).isEqualTo("inf-node-3");
    assertThat(fromEnv.port()).isEqualTo(9090);
    assertThat(fromEnv.toString()).doesNotContain("s3cret-token").contains("adminToken=[secret]");
    NodeOptions overridden = NodeOptions.parse(List.of("--port", "9191"), Map.of("INF_NODE_PORT", "9090",
        "INF_NODE_CONFIG_DIR", dir.toString())::get);
    assertThat(overridden.port()).as("an argument wins over the environment").isEqualTo(9191);
  }
}
