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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The README's main command, in-process, once: the bundled RFC config through every check, and its reports. */
class VerificationRunTest {

  private static final String SVG = "http://www.w3.org/2000/svg";
  private static final List<String> SERVICES = List.of("payment_service", "inventory_service", "notification_service");

  @TempDir
  static Path dir;
  private static int status;
  private static String output;

  @BeforeAll
  static void run() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    status = VerifyCommand.run(List.of("--json", dir.resolve("report.json").toString(),
        "--html", dir.resolve("report.html").toString(), "--svg", dir.resolve("timelines.svg").toString()),
        out, out, Map.<String, String>of()::get);
    output = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyCheckPassesAndTheRunSaysWhatItDoesAsItGoes() {
    assertThat(status).as(output).isEqualTo(VerifyCommand.PASSED);
    assertThat(output)
        .startsWith("Risk Modules verification run: the bundled RFC-136 config (examples/config), simulated time\n")
        .contains("alert channels: console; slack skipped (SLACK_WEBHOOK_URL is not set); pagerduty skipped"
            + " (PAGERDUTY_KEY is not set); email skipped")
        .contains("[PASS] trips at failure_threshold failures in a row: CLOSED after 2, OPEN at failure 3")
        .contains("alert firing: breaker_open:payment_service (critical)")
        .contains("alert resolved: breaker_open:notification_service (low)")
        .contains("3 services, 33 checks, 33 passed, 0 failed")
        .doesNotContain("FAIL");
  }

  @Test
  void aTablePerServiceHasARowPerCheckWithExpectedObservedAndResult() {
    for (String service : SERVICES) {
      assertThat(output).contains(service + ": PASS\n+---");
    }
    assertThat(output).containsPattern("\\| half-opens after timeout_seconds +\\| OPEN until 60 s after the trip, then +"
        + "\\| OPEN at 59\\.999 s, HALF_OPEN at 60 s +\\| PASS +\\|");
    assertThat(output).containsPattern("\\| closes after success_threshold +\\| HALF_OPEN after 4 good probes, CLOSED at +"
        + "\\| HALF_OPEN after 4, CLOSED at probe 5 +\\| PASS +\\|");
  }

  @Test
  void theJsonHoldsEveryCheckAndEachBreakersTimeline() throws IOException {
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.get("passed").asBoolean()).isTrue();
    assertThat(report.get("checks").asInt()).isEqualTo(33);
    assertThat(report.get("failed").asInt()).isZero();
    assertThat(report.get("clock").asText()).isEqualTo("simulated");
    assertThat(report.get("channels").get(0).get("used").asBoolean()).isFalse();
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
    assertThat(payment.get("checks").get(1).get("id").asText()).isEqualTo("fallback_while_open");
    assertThat(payment.get("checks").get(1).get("observed").asText())
        .isEqualTo("0 of 5 calls reached it; 503 {\"error\":\"Service temporarily unavailable\",\"retry_after\":45}");
  }

  @Test
  void theHtmlIsOneWellFormedPageWithAnSvgTimelinePerBreakerAndItsTable() throws Exception {
    Document page = parse(dir.resolve("report.html"));
    assertThat(page.getDocumentElement().getTagName()).isEqualTo("html");
    assertThat(text(page, "title")).isEqualTo("Risk Modules verification run: PASS");
    assertThat(page.getElementsByTagName("script").getLength()).isZero();
    assertThat(page.getElementsByTagName("link").getLength()).as("self-contained").isZero();

    NodeList svgs = page.getElementsByTagNameNS(SVG, "svg");
    assertThat(svgs.getLength()).isEqualTo(3);
    for (int i = 0; i < svgs.getLength(); i++) {
      Element svg = (Element) svgs.item(i);
      assertThat(svg.getAttribute("data-breaker")).isEqualTo(SERVICES.get(i));
      assertTimeline(svg);
    }
    NodeList rows = page.getElementsByTagName("tr");
    int checks = 0;
    for (int i = 0; i < rows.getLength(); i++) {
      Element row = (Element) rows.item(i);
      if (row.hasAttribute("data-check")) {
        checks++;
        assertThat(row.getAttribute("class")).isEqualTo("PASS");
      }
    }
    assertThat(checks).isEqualTo(33);
  }

  @Test
  void theSvgImageStacksTheThreeTimelines() throws Exception {
    Document image = parse(dir.resolve("timelines.svg"));
    assertThat(image.getDocumentElement().getNamespaceURI()).isEqualTo(SVG);
    NodeList groups = image.getElementsByTagNameNS(SVG, "g");
    List<String> breakers = new ArrayList<>();
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if ("timeline".equals(g.getAttribute("class"))) {
        breakers.add(g.getAttribute("data-breaker"));
        assertTimeline(g);
      }
    }
    assertThat(breakers).containsExactlyElementsOf(SERVICES);
  }

  /** State bands through the whole cycle, a dot per call, the risk line and the alert flags. */
  private static void assertTimeline(Element timeline) {
    Set<String> states = new HashSet<>();
    Set<String> outcomes = new HashSet<>();
    Set<String> alerts = new HashSet<>();
    int calls = 0;
    NodeList rects = timeline.getElementsByTagNameNS(SVG, "rect");
    for (int j = 0; j < rects.getLength(); j++) {
      Element r = (Element) rects.item(j);
      if ("band".equals(r.getAttribute("class"))) {
        states.add(r.getAttribute("data-state"));
        assertThat(Double.parseDouble(r.getAttribute("width"))).isPositive();
      }
    }
    NodeList circles = timeline.getElementsByTagNameNS(SVG, "circle");
    for (int j = 0; j < circles.getLength(); j++) {
      Element c = (Element) circles.item(j);
      if ("call".equals(c.getAttribute("class"))) {
        calls++;
        outcomes.add(c.getAttribute("data-outcome"));
      }
    }
    NodeList paths = timeline.getElementsByTagNameNS(SVG, "path");
    for (int j = 0; j < paths.getLength(); j++) {
      alerts.add(((Element) paths.item(j)).getAttribute("data-status"));
    }
    String name = timeline.getAttribute("data-breaker");
    assertThat(states).as(name).contains("CLOSED", "OPEN", "HALF_OPEN");
    assertThat(calls).as(name).isGreaterThan(30);
    assertThat(outcomes).as(name).contains("success", "failure", "slow", "rejected");
    assertThat(timeline.getElementsByTagNameNS(SVG, "polyline").getLength()).as(name).isEqualTo(1);
    assertThat(alerts).as(name).contains("FIRING", "RESOLVED");
  }

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  private static String text(Document d, String tag) {
    return d.getElementsByTagName(tag).item(0).getTextContent();
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
    bytes.reset();
    assertThat(VerifyCommand.run(List.of("--help"), err, err, Map.<String, String>of()::get)).isEqualTo(VerifyCommand.PASSED);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar verification-run.jar [--config DIR]")
        .contains("exit status: 0 every check passed, 1 a check failed, 2 bad usage or config");
  }
}
