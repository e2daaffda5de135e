package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every problem of every file at once, each at its file, line, column and key path. */
class ConfigErrorsTest {

  private static List<String> problems(String name, String yaml) {
    return problems(Map.of(name, yaml));
  }

  private static List<String> problems(Map<String, String> files) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    try {
      Examples.loader().parse(bytes);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).contains(e.problems().get(0).toString());
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("no problem reported");
  }

  /** The RFC's breaker file with one line replaced. */
  private static String rfcWith(String line, String replacement) {
    String text = Examples.text(Examples.breakers());
    assertThat(text).contains(line);
    return text.replace(line, replacement);
  }

  @Test
  void outOfRangeValueNamesFileLineColumnAndPath() {
    assertThat(problems("circuit_breaker_config.yaml",
        rfcWith("      failure_threshold: 3        # 支付服务更敏感", "      failure_threshold: 0")))
        .containsExactly("circuit_breaker_config.yaml:25:7"
            + " circuit_breaker.services.payment_service.failure_threshold: must be at least 1, was 0");
  }

  @Test
  void misspeltKeySuggestsTheNearest() {
    assertThat(problems("circuit_breaker_config.yaml",
        rfcWith("      failure_threshold: 3        # 支付服务更敏感", "      failure_treshold: 3")))
        .containsExactly("circuit_breaker_config.yaml:25:7"
            + " circuit_breaker.services.payment_service.failure_treshold: unknown key: did you mean"
            + " 'failure_threshold'?");
  }

  @Test
  void everyProblemOfEveryFileAtOnce() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("a.yaml", """
        circuit_breaker:
          default:
            failure_rate_threshold: 1.5
            slow_call_duration_threshold: -5
            timeout_seconds: "soon"
          services:
            payment_service:
              half_open_max_calls: many
        """);
    files.put("b.yaml", """
        nodes:
          - name: n1
            host: 127.0.0.1
            port: 8080
          - name: n1
            host: 127.0.0.2
            port: 70000
        """);
    assertThat(problems(files)).containsExactly(
        "a.yaml:3:5 circuit_breaker.default.failure_rate_threshold: must be in (0, 1], was 1.5",
        "a.yaml:4:5 circuit_breaker.default.slow_call_duration_threshold: must be greater than 0, was '-5'",
        "a.yaml:5:5 circuit_breaker.default.timeout_seconds: must be a duration: a number of seconds or text"
            + " such as 500ms, 30s, 2m, 1h, was 'soon'",
        "a.yaml:8:7 circuit_breaker.services.payment_service.half_open_max_calls: must be an integer, was 'many'",
        "b.yaml:5:5 nodes[1].name: duplicate node name 'n1' (first at line 2)",
        "b.yaml:7:5 nodes[1].port: must be from 1 to 65535, was 70000");
  }

  @Test
  void portOutOfRangeAndDuplicateAddress() {
    assertThat(problems("d.yaml", """
        nodes:
          - {name: a, host: 127.0.0.1, port: 8080}
          - {name: b, host: 127.0.0.1, port: 8080}
          - {name: c, host: 127.0.0.1, port: 70000, role: primery}
        """)).containsExactly(
        "d.yaml:3:15 nodes[1].host: duplicate address 127.0.0.1:8080 (first at line 2)",
        "d.yaml:4:32 nodes[2].port: must be from 1 to 65535, was 70000",
        "d.yaml:4:45 nodes[2].role: must be one of primary, secondary, standby, was 'primery' (did you mean 'primary'?)");
  }

  @Test
  void yamlSyntaxErrorAtItsPlace() {
    assertThat(problems("s.yaml", "circuit_breaker:\n  default:\n    failure_threshold: [1, 2\n"))
        .singleElement().asString().startsWith("s.yaml:4:1 (file): YAML syntax: ");
  }

  @Test
  void rootThatIsNotAMapping() {
    assertThat(problems("list.yaml", "- a\n- b\n"))
        .containsExactly("list.yaml:1:1 (file): the file must be a mapping of top-level keys (circuit_breaker,"
            + " monitoring, alerts, fallback, deployment, nodes, health_check, rollback, alerting, risk)");
    assertThat(problems("empty.yaml", "# nothing\n"))
        .containsExactly("empty.yaml:1:1 (file): file is empty: expected a mapping of top-level keys");
  }

  @Test
  void duplicateKeysAreErrorsWithBothPlaces() {
    assertThat(problems("dup.yaml", """
        circuit_breaker:
          default:
            failure_threshold: 3
            failure_threshold: 4
        """)).containsExactly(
        "dup.yaml:4:5 circuit_breaker.default.failure_threshold: duplicate key 'failure_threshold' (first at line 3)");
  }

  @Test
  void wrongTypes() {
    assertThat(problems("t.yaml", """
        circuit_breaker:
          default:
            failure_threshold: "3"
            failure_rate_threshold: [0.5]
          services: [payment_service]
        monitoring:
          metrics_interval_seconds: {a: 1}
        """)).containsExactly(
        "t.yaml:3:5 circuit_breaker.default.failure_threshold: must be an integer, was '3'",
        "t.yaml:4:5 circuit_breaker.default.failure_rate_threshold: must be a number, was a list",
        "t.yaml:5:3 circuit_breaker.services: must be a mapping of keys, was a list",
        "t.yaml:7:3 monitoring.metrics_interval_seconds: must be a duration, was a mapping");
  }

  @Test
  void unknownChannelTypeAndSeverity() {
    assertThat(problems("c.yaml", """
        alerts:
          channels:
            - type: slak
              webhook_url: https://example.invalid/x
            - type: email
              recipients: [oncall@company.com]
              severity_filter: [critical, urgent]
        """)).containsExactly(
        "c.yaml:3:7 alerts.channels[0].type: must be one of slack, pagerduty, email, webhook, was 'slak'"
            + " (did you mean 'slack'?)",
        "c.yaml:7:35 alerts.channels[1].severity_filter[1]: must be one of critical, high, medium, low, info,"
            + " was 'urgent'");
  }

  @Test
  void rollbackThatRefersToNothing() {
    assertThat(problems("r.yaml", """
        nodes:
          - {name: n1, host: 127.0.0.1, port: 8080}
        rollback:
          nodes: [n2]
        """)).containsExactly(
        "r.yaml:4:11 rollback.nodes[0]: refers to no node: 'n2' is not in nodes (did you mean 'n1'?)");
    assertThat(problems("r2.yaml", "rollback:\n  auto_rollback: true\n")).contains(
        "r2.yaml:1:1 rollback: the deployment file needs 'nodes': a list of at least one node",
        "r2.yaml:1:1 rollback: refers to nothing: a rollback rule needs the nodes it watches ('nodes' section)");
  }

  @Test
  void crossFieldRulesOfTheBreakerConfigAreReportedAtTheService() {
    assertThat(problems("x.yaml", """
        circuit_breaker:
          services:
            payment_service:
              timeout_seconds: 60
              max_open_timeout_seconds: 30
        """)).containsExactly("x.yaml:3:5 circuit_breaker.services.payment_service: max_open_timeout_seconds must be"
            + " at least timeout_seconds (PT1M), was PT30S");
  }

  @Test
  void aSectionInTwoFiles() {
    assertThat(problems(Map.of("one.yaml", "monitoring:\n  metrics_interval_seconds: 5\n",
        "two.yaml", "monitoring:\n  metrics_interval_seconds: 6\n")))
        .singleElement().asString().matches("(one|two)\\.yaml:1:1 monitoring: section 'monitoring' is also in"
            + " (one|two)\\.yaml:1; a section may be given in one file only");
  }

  @Test
  void unknownTopLevelKeyAndAFileWithNoSection() {
    assertThat(problems("u.yaml", "version: \"1.0.0\"\ncircuit_breakers:\n  default: {}\n"))
        .containsExactly("u.yaml:2:1 circuit_breakers: unknown key: did you mean 'circuit_breaker'?");
    assertThat(problems("v.yaml", "version: \"2.0\"\nmonitoring: {}\n"))
        .containsExactly("v.yaml:1:1 version: unsupported version '2.0': this library reads version 1.x");
    assertThat(problems("w.yaml", "version: \"1.0\"\n"))
        .containsExactly("w.yaml:1:1 (file): no Risk Modules section: expected at least one of circuit_breaker,"
            + " monitoring, alerts, fallback, deployment, nodes, health_check, rollback, alerting, risk");
  }

  @Test
  void aMissingFileIsAProblemLikeTheOthers() {
    assertThatThrownBy(() -> Examples.loader().load(Path.of("no/such/file.yaml"), Examples.breakers()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("1 problem in the config:\nno/such/file.yaml:0:0 (file): file not found");
  }

  @Test
  void alertFileReferencesAndWords() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("cb.yaml", "circuit_breaker:\n  services:\n    payment_service: {}\n");
    files.put("alert.yaml", """
        alerting:
          breaker_open:
            services: {paymnet_service: critical}
          risk_level:
            threshold: severe
          inhibit:
            - {source: risk_high, target: risk_high}
        risk:
          services:
            payment_service: {failure_rate: {threshold: 2}}
        """);
    assertThat(problems(files)).containsExactly(
        "alert.yaml:3:16 alerting.breaker_open.services.paymnet_service: refers to no service: 'paymnet_service'"
            + " is not in circuit_breaker.services (did you mean 'payment_service'?)",
        "alert.yaml:5:5 alerting.risk_level.threshold: must be one of low, medium, high, critical, was 'severe'",
        "alert.yaml:7:27 alerting.inhibit[0].target: must not be the source 'risk_high' (an alert would inhibit"
            + " itself)",
        "alert.yaml:10:38 risk.services.payment_service.failure_rate.threshold: must be in (0, 1], was 2.0");
  }
}
