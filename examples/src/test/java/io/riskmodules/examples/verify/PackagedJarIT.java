package io.riskmodules.examples.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar examples/target/verification-run.jar}, as the README runs it, from a directory
 * that is not the project's: the bundled config comes from the jar. Runs in the package phase,
 * after the jar is built.
 */
class PackagedJarIT {

  private static final Path JAR = Path.of(System.getProperty("verification.jar", "target/verification-run.jar"))
      .toAbsolutePath();

  @TempDir
  Path dir;

  private record Result(int status, String out, String err) {}

  private Result java(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("SLACK_WEBHOOK_URL"); // a developer's own variables must not page anyone from a test
    pb.environment().remove("PAGERDUTY_KEY");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the jar finished").isTrue();
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theMainCommandPassesFromAnyDirectoryAndWritesItsReports() throws Exception {
    Result r = java("--json", "report.json", "--html", "report.html");

    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("the bundled RFC-136 config", "3 services, 33 checks, 33 passed, 0 failed");
    assertThat(r.err()).as("the library's own log lines stay out of the run's output").isEmpty();
    assertThat(new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("passed").asBoolean()).isTrue();
    assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg", "payment_service");
  }

  @Test
  void aFailedCheckAndABadCommandLineExitDifferently() throws Exception {
    Path config = Files.createDirectory(dir.resolve("config"));
    Files.writeString(config.resolve("cb.yaml"), """
        circuit_breaker:
          services:
            billing_service:
              state: forced_open
        """);

    Result failed = java("--config", config.toString());
    Result usage = java("--no-such-option");

    assertThat(failed.status()).as(failed.out()).isEqualTo(VerifyCommand.CHECKS_FAILED);
    assertThat(failed.out()).contains("[FAIL] trips at failure_threshold failures in a row: FORCED_OPEN before any call"
        + " (state: forced_open in the config)");
    assertThat(usage.status()).isEqualTo(VerifyCommand.BAD_USAGE_OR_CONFIG);
    assertThat(usage.err()).contains("unknown argument '--no-such-option'", "usage:");
  }

  @Test
  void checkConfigValidatesTheBundledFilesFromTheJar() throws Exception {
    Result r = java("--check-config", "--allow-missing-env");

    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("circuit_breaker_config.yaml", "alert_config.yaml", "4 nodes");
  }
}
