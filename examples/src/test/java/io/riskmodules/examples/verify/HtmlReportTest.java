package io.riskmodules.examples.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The report stays well-formed whatever the names and messages hold. */
class HtmlReportTest {

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void markupInAServiceNameOrACheckIsTextNotMarkup() throws Exception {
    String name = "a<b>&\"c'";
    Timeline.Data timeline = new Timeline.Data(1_000,
        List.of(new Timeline.Band("CLOSED", 0, 400), new Timeline.Band("OPEN", 400, 1_000)),
        List.of(new Timeline.Transition(400, "CLOSED", "OPEN", "x < y & z")),
        List.of(new Timeline.CallMark(400, "FAILURE", false)),
        List.of(new Timeline.RiskPoint(500, 50, "HIGH")),
        List.of(new Timeline.AlertMark(400, "breaker_open:" + name, "FIRING", "high")));
    ServiceReport service = new ServiceReport(name, Map.of("failure_threshold", 1), false,
        List.of(Check.of("counts", "<check>", "expected & more", "observed \"quoted\" </td>", false)), timeline);
    RunReport report = new RunReport("dir <x>", List.of("f&.yaml"), "simulated", "2026-12-01T00:00:00Z",
        List.of(new Channels.Use("slack", false, "${SLACK_WEBHOOK_URL} <not set>")), false, 1, 1, List.of(service));

    Document page = parse(HtmlReport.render(report));
    Document image = parse(HtmlReport.svgOverview(report));

    Element svg = (Element) page.getElementsByTagNameNS(HtmlReport.SVG_NS, "svg").item(0);
    assertThat(svg.getAttribute("data-breaker")).isEqualTo(name);
    Element section = (Element) page.getElementsByTagName("section").item(0);
    assertThat(section.getAttribute("id")).isEqualTo(name);
    assertThat(page.getElementsByTagName("td").item(2).getTextContent()).isEqualTo("observed \"quoted\" </td>");
    assertThat(image.getDocumentElement().getTextContent()).contains(name + ": FAIL");
  }

  @Test
  void wrappedCellsKeepEveryWordAndTheirWidth() {
    List<String> lines = TextTable.wrap("CLOSED after 49, OPEN at failure 50: failure rate 50.0% >= 50.0% over 100 calls", 20);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(20));
    assertThat(String.join(" ", lines)).isEqualTo("CLOSED after 49, OPEN at failure 50: failure rate 50.0% >= 50.0% over 100 calls");
    assertThat(TextTable.wrap("{\"error\":\"Service-temporarily-unavailable\"}", 10)).allSatisfy(l ->
        assertThat(l.length()).isLessThanOrEqualTo(10));
  }
}
