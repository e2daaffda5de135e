package io.riskmodules.examples;

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

/** {@code verification-run.jar --check-config}: risk-config's check mode over the bundled or given files. */
class CheckConfigTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(List<String> args, Map<String, String> env) {
    return VerificationRun.checkConfig(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
  }

  @Test
  void theBundledRfcFilesAreValidWhenTheirVariablesAreSet() {
    int status = check(List.of("--check-config"),
        Map.of("SLACK_WEBHOOK_URL", "https://hooks.example.invalid/x", "PAGERDUTY_KEY", "key"));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("circuit_breaker_config.yaml", "deployment_config.yaml", "alert_config.yaml", "4 nodes");
  }

  @Test
  void missingVariablesAreProblemsUnlessAllowed() {
    assertThat(check(List.of("--check-config"), Map.of())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("alerts.channels[0].webhook_url: environment variable SLACK_WEBHOOK_URL is not set");
    assertThat(check(List.of("--check-config", "--allow-missing-env"), Map.of())).isZero();
  }

  @Test
  void aBrokenFileIsReportedWithItsPlaceAndANonZeroStatus(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(file, "circuit_breaker:\n  default:\n    failure_threshold: 0\n");
    int status = check(List.of("--check-config", file.toString()), Map.of());
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("circuit_breaker_config.yaml:3:5 circuit_breaker.default.failure_threshold: must be at least 1, was 0");
  }
}
