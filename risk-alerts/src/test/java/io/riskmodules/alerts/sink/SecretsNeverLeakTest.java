package io.riskmodules.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.ManualTime;
import io.riskmodules.alerts.SinkStats;
import io.riskmodules.alerts.sink.ScriptedHttpServer.Answer;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs every sink with secrets configured through failures that get logged (5xx, 429, 410, a 400
 * whose body echoes the key, refused connections, a refused SMTP password, URLs that do not parse),
 * captures everything written to standard output and error (where the test logger writes), and
 * finds none of the secrets there.
 */
class SecretsNeverLeakTest {

  private static final String SLACK_TOKEN = "xoxbSlackT0ken9f8e7d";
  private static final String PD_KEY = "pdR0utingKey4c3b2a1";
  private static final String HOOK_TOKEN = "h00kQueryT0ken5e6f";
  private static final String HEADER_TOKEN = "beArerHeaderT0ken7a8b";
  private static final String SMTP_PASSWORD = "smtpPassw0rd1d2c";
  private static final List<String> SECRETS = List.of(SLACK_TOKEN, PD_KEY, HOOK_TOKEN, HEADER_TOKEN, SMTP_PASSWORD);

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", "theRealPassword"));

  @Test
  void noSecretAppearsInAnyLogLineToStringOrExceptionMessage() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    PrintStream out = System.out;
    PrintStream err = System.err;
    List<AutoCloseable> servers = new ArrayList<>();
    System.setOut(capture);
    System.setErr(capture);
    try {
      ScriptedHttpServer slackServer = new ScriptedHttpServer(Answer.of(410, "channel_is_archived"))
          .then(Answer.of(500, "oops " + SLACK_TOKEN), Answer.retryAfter(429, "1"));
      ScriptedHttpServer pdServer = new ScriptedHttpServer(Answer.of(202, "{}"))
          .then(Answer.of(400, "{\"status\":\"invalid\",\"errors\":[\"routing_key " + PD_KEY + " unknown\"]}"),
              Answer.of(503, PD_KEY));
      servers.add(slackServer);
      servers.add(pdServer);

      List<AlertSink> sinks = List.of(
          SlackSink.builder().webhookUrl(slackServer.url("/services/T0/B0/" + SLACK_TOKEN)).minInterval(Duration.ZERO).build(),
          PagerDutySink.builder().routingKey(PD_KEY).baseUrl(pdServer.url("")).build(),
          WebhookSink.builder().url(ScriptedHttpServer.refusedUrl("/hook?token=" + HOOK_TOKEN))
              .header("Authorization", "Bearer " + HEADER_TOKEN).build(),
          EmailSink.builder().host("127.0.0.1").port(smtp.getSmtp().getPort()).startTls(false)
              .username("alerts").password(SMTP_PASSWORD).from("risk@example.com").recipient("oncall@company.com").build(),
          EmailSink.builder().name("email-refused").host("127.0.0.1")
              .port(Integer.parseInt(ScriptedHttpServer.refusedUrl("").replaceAll(".*:", "")))
              .startTls(false).username("alerts").password(SMTP_PASSWORD)
              .from("risk@example.com").recipient("oncall@company.com").build());

      ManualTime time = new ManualTime();
      CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
          .clock(time).ticker(time).eventExecutor(Runnable::run).build();
      AlertManager.Builder b = AlertManager.builder().clock(time).ticker(time).groupWait(Duration.ZERO)
          .maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxRetryAfter(Duration.ofMillis(10))
          .sinkBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(5).openTimeout(Duration.ofMillis(20)).build());
      sinks.forEach(b::sink);
      AlertManager manager = b.build();
      manager.attach(registry);
      for (String name : List.of("payment_service", "inventory_service")) {
        CircuitBreaker breaker = registry.breaker(name);
        breaker.transitionTo(CircuitState.OPEN);
        manager.evaluate();
        time.advance(Duration.ofSeconds(5));
        breaker.transitionTo(CircuitState.CLOSED);
        manager.evaluate();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> manager.stats().stream()
          .allMatch(s -> s.queued() == 0 && s.routed() == s.delivered() + s.droppedTotal() && s.routed() > 0));

      // Everything a status page or an operator would print.
      System.out.println(manager);
      sinks.forEach(System.out::println);
      manager.stats().forEach(System.out::println);
      // Builders refusing a secret-bearing value that does not parse.
      for (Runnable bad : List.<Runnable>of(
          () -> SlackSink.builder().webhookUrl("https://hooks slack/" + SLACK_TOKEN).build(),
          () -> SlackSink.builder().webhookUrl("http://hooks.slack.com/services/" + SLACK_TOKEN).build(),
          () -> WebhookSink.builder().url("https://example.com/x?token=" + HOOK_TOKEN + "%%").build(),
          () -> WebhookSink.builder().url("ftp://example.com/x?token=" + HOOK_TOKEN).build())) {
        try {
          bad.run();
          System.out.println("accepted!");
        } catch (IllegalArgumentException e) {
          System.out.println("refused: " + e);
          e.printStackTrace(System.out);
        }
      }
      manager.close(Duration.ofSeconds(2));
      List<SinkStats> stats = manager.stats();
      assertThat(stats).allSatisfy(s -> assertThat(s.routed()).isEqualTo(s.delivered() + s.droppedTotal()));
    } finally {
      capture.flush();
      System.setOut(out);
      System.setErr(err);
      for (AutoCloseable s : servers) {
        s.close();
      }
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "secrets-never-leak.log"), log);
    // The run did log its failures (so the check below looked at something).
    assertThat(log).contains("alert sink slack disabled", "alert sink pagerduty: permanent error",
        "alert sink webhook: attempt 1 failed", "alert sink email: permanent error", "refused: ");
    for (String secret : SECRETS) {
      assertThat(log).as("log output contains a secret").doesNotContain(secret);
    }
  }
}
