package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return ConfigCheck.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
  }

  @Test
  void theExamplesAreValid() {
    int status = run(Examples.ENV, Examples.breakers().toString(), Examples.deployment().toString(),
        Examples.alerts().toString());
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("3 services, 3 alert channels, 4 nodes");
  }

  @Test
  void withoutTheSecretsTheRfcFileFailsUnlessMissingVariablesAreAllowed() {
    assertThat(run(Map.of(), Examples.breakers().toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("alerts.channels[0].webhook_url: environment variable SLACK_WEBHOOK_URL is not set")
        .contains("alerts.channels[1].integration_key: environment variable PAGERDUTY_KEY is not set")
        .endsWith("2 problems" + System.lineSeparator());
    assertThat(run(Map.of(), "--allow-missing-env", Examples.breakers().toString())).isZero();
  }

  @Test
  void everyProblemPrintedAndNonZeroExit(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("cb.yaml");
    Files.writeString(bad, "circuit_breaker:\n  default:\n    failure_treshold: 3\n    timeout_seconds: -1\n");
    assertThat(run(Map.of(), bad.toString(), dir.resolve("missing.yaml").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        bad + ":3:5 circuit_breaker.default.failure_treshold: unknown key: did you mean 'failure_threshold'?",
        bad + ":4:5 circuit_breaker.default.timeout_seconds: must be greater than 0, was '-1'",
        dir.resolve("missing.yaml") + ":0:0 (file): file not found",
        "3 problems");
  }

  @Test
  void wrongCommandLine() {
    assertThat(run(Map.of())).isEqualTo(2);
    assertThat(run(Map.of(), "--frobnicate", "x.yaml")).isEqualTo(2);
  }
}
