package io.riskmodules.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskmodules.examples.verify.VerifyCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, in-process: the bundled RFC config through every check. */
class VerificationRunTest {

  private static final List<String> SERVICES = List.of("payment_service", "inventory_service", "notification_service");

  @Test
  void theBundledConfigPassesEveryCheckAndSaysSoInTablesAndJson(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Path json = dir.resolve("report.json");

    int status = VerifyCommand.run(List.of("--json", json.toString()), out, out, Map.<String, String>of()::get);

    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isEqualTo(VerifyCommand.PASSED);
    assertThat(output)
        .contains("alert channels: console; slack skipped (SLACK_WEBHOOK_URL is not set); pagerduty skipped"
            + " (PAGERDUTY_KEY is not set); email skipped")
        .contains("[PASS] trips at failure_threshold failures in a row: CLOSED after 2, OPEN at failure 3")
        .contains("alert firing: breaker_open:payment_service (critical)")
        .contains("3 services, 33 checks, 33 passed, 0 failed")
        .doesNotContain("FAIL");
    // a table per service: header, then one row per check with its result in the last column
    for (String service : SERVICES) {
      assertThat(output).contains(service + ": PASS\n+---");
    }
    assertThat(output).containsPattern("\\| half-opens after timeout_seconds +\\| OPEN until 60 s after the trip, then +"
        + "\\| OPEN at 59\\.999 s, HALF_OPEN at 60 s +\\| PASS +\\|");

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("passed").asBoolean()).isTrue();
    assertThat(report.get("checks").asInt()).isEqualTo(33);
    assertThat(report.get("failed").asInt()).isZero();
    assertThat(report.get("clock").asText()).isEqualTo("simulated");
    List<String> names = new ArrayList<>();
    for (JsonNode service : report.get("services")) {
      names.add(service.get("service").asText());
      assertThat(service.get("checks")).hasSize(11);
      for (JsonNode check : service.get("checks")) {
        assertThat(check.get("result").asText()).as(check.toString()).isEqualTo("PASS");
      }
      JsonNode timeline = service.get("timeline");
      List<String> states = new ArrayList<>();
      timeline.get("states").forEach(b -> states.add(b.get("state").asText()));
      assertThat(states).startsWith("CLOSED", "OPEN", "HALF_OPEN", "CLOSED").endsWith("CLOSED");
      assertThat(timeline.get("calls").size()).isGreaterThan(30);
      assertThat(timeline.get("risk").size()).isGreaterThan(3);
      assertThat(timeline.get("alerts").get(0).get("status").asText()).isEqualTo("FIRING");
    }
    assertThat(names).containsExactlyElementsOf(SERVICES);
    JsonNode payment = report.get("services").get(0);
    assertThat(payment.get("settings").get("failure_threshold").asInt()).isEqualTo(3);
    assertThat(payment.get("checks").get(1).get("observed").asText())
        .isEqualTo("0 of 5 calls reached it; 503 {\"error\":\"Service temporarily unavailable\",\"retry_after\":45}");
  }

  @Test
  void aWrongCommandLineIsTheUsageStatusNotAFailedCheck() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertThat(VerifyCommand.run(List.of("--jsn", "x"), err, err, Map.<String, String>of()::get))
        .isEqualTo(VerifyCommand.BAD_USAGE_OR_CONFIG);
    assertThat(VerifyCommand.run(List.of("--json"), err, err, Map.<String, String>of()::get))
        .isEqualTo(VerifyCommand.BAD_USAGE_OR_CONFIG);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("unknown argument '--jsn'", "--json needs a value", "usage:");
  }
}
