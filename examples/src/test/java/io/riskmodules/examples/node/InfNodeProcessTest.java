package io.riskmodules.examples.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node in a real process of its own: it serves, and SIGTERM stops it through its shutdown hook. */
class InfNodeProcessTest {

  @TempDir
  Path dir;

  @Test
  void sigtermStopsTheNodeCleanlyThroughItsShutdownHook() throws Exception {
    NodeTestConfig.write(dir, 60);
    try (NodeProcess node = NodeProcess.start("inf-node-9", dir, dir, Map.of(), Duration.ofSeconds(120))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"node\":\"inf-node-9\"");

      int exit = node.stop(); // Process.destroy() sends SIGTERM
      assertThat(exit).as("exit status after SIGTERM (128 + 15), not SIGKILL's 137").isEqualTo(143);
      assertThat(node.output()).as("the shutdown hook ran to its end").contains("inf-node-9 stopped");
      assertThat(node.output()).noneMatch(l -> l.contains("Exception"));
    }
  }

  @Test
  void aBadConfigStopsTheNodeAtStartWithTheProblemAndStatusTwo() throws Exception {
    Files.writeString(dir.resolve("circuit_breaker_config.yaml"), """
        circuit_breaker:
          default:
            failure_threshold: 0
        """);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"), InfNode.class.getName(),
        "--bind", "127.0.0.1", "--port", "0", "--config", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(2);
    assertThat(out).contains("invalid config").contains("failure_threshold");
  }
}
