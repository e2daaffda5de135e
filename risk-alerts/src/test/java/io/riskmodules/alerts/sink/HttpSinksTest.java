package io.riskmodules.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.DropReason;
import io.riskmodules.alerts.ManualTime;
import io.riskmodules.alerts.Severity;
import io.riskmodules.alerts.SinkStats;
import io.riskmodules.alerts.sink.ScriptedHttpServer.Answer;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slack, PagerDuty and the JSON webhook against a real HTTP server on loopback. */
class HttpSinksTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualTime time = new ManualTime();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
      .clock(time).ticker(time).eventExecutor(Runnable::run).build();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private AlertManager manager;

  @AfterEach
  void closeAll() throws Exception {
    if (manager != null) {
      manager.close(Duration.ofSeconds(2));
    }
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private ScriptedHttpServer server(Answer fallback, Answer... script) throws Exception {
    ScriptedHttpServer s = new ScriptedHttpServer(fallback).then(script);
    toClose.add(s);
    return s;
  }

  private AlertManager start(AlertSink sink) {
    manager = AlertManager.builder().clock(time).ticker(time).groupWait(Duration.ZERO)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(10)).maxRetryAfter(Duration.ofMillis(20)).maxAttempts(4)
        .breakerOpenSeverity("payment_service", Severity.CRITICAL)
        .sink(sink).build();
    manager.attach(registry);
    return manager;
  }

  private void open(String name) {
    registry.breaker(name).transitionTo(CircuitState.OPEN);
    manager.evaluate();
  }

  private void close(String name) {
    time.advance(Duration.ofSeconds(30));
    CircuitBreaker b = registry.breaker(name);
    b.transitionTo(CircuitState.HALF_OPEN);
    b.transitionTo(CircuitState.CLOSED);
    manager.evaluate();
  }

  private void awaitSettled(long routed) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      SinkStats s = manager.stats().get(0);
      return s.routed() == routed && s.queued() == 0;
    });
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  // ---- Slack ----

  private SlackSink slack(ScriptedHttpServer s) {
    return SlackSink.builder().webhookUrl(s.url("/services/T0/B0/XXXXSECRET")).minInterval(Duration.ZERO)
        .requestTimeout(Duration.ofSeconds(3)).build();
  }

  @Test
  void slackReceivesTextAndBlocksAndOkIsSuccess() throws Exception {
    ScriptedHttpServer s = server(Answer.of(200, "ok"));
    start(slack(s));
    open("payment_service");
    awaitSettled(1);
    assertThat(manager.stats().get(0).delivered()).isEqualTo(1);
    ScriptedHttpServer.Received r = s.received().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/services/T0/B0/XXXXSECRET");
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(json(r.body())).isEqualTo(json("""
        {"text":"[FIRING:1] critical: Circuit breaker payment_service is open",
         "blocks":[
          {"type":"header","text":{"type":"plain_text","text":"[FIRING:1] critical: Circuit breaker payment_service is open"}},
          {"type":"section","text":{"type":"mrkdwn","text":":red_circle: *critical* Circuit breaker payment_service is open\\nCalls to payment_service are rejected: opened by operator.\\n_since 2026-12-01T09:00:00Z_"}}]}
        """));
  }

  @Test
  void slackRetriesA429HonouringRetryAfterCappedAndA500ThenSucceeds() throws Exception {
    ScriptedHttpServer s = server(Answer.of(200, "ok"), Answer.retryAfter(429, "3600"), Answer.of(500, "oops"));
    start(slack(s));
    open("payment_service");
    awaitSettled(1);
    SinkStats stats = manager.stats().get(0);
    assertThat(stats.delivered()).isEqualTo(1);
    assertThat(stats.retried()).isEqualTo(2);
    assertThat(s.received()).hasSize(3);
    assertThat(s.received()).extracting(ScriptedHttpServer.Received::body).containsOnly(s.received().get(0).body());
  }

  @Test
  void slackAnswering410DisablesTheSink() throws Exception {
    ScriptedHttpServer s = server(Answer.of(200, "ok"), Answer.of(410, "channel_is_archived"));
    start(slack(s));
    open("payment_service");
    awaitSettled(1);
    open("inventory_service");
    awaitSettled(2);
    SinkStats stats = manager.stats().get(0);
    assertThat(stats.disabled()).isTrue();
    assertThat(stats.dropped()).isEqualTo(Map.of(DropReason.SINK_DISABLED, 2L));
    assertThat(s.received()).hasSize(1);
  }

  @Test
  void slackA400IsPermanentAndA200WithoutOkIsNotSuccess() throws Exception {
    ScriptedHttpServer s = server(Answer.of(200, "ok"), Answer.of(400, "invalid_payload"), Answer.of(200, "no"));
    start(slack(s));
    open("payment_service");
    awaitSettled(1);
    open("inventory_service");
    awaitSettled(2);
    assertThat(manager.stats().get(0).dropped()).isEqualTo(Map.of(DropReason.PERMANENT_ERROR, 2L));
    assertThat(s.received()).hasSize(2);
  }

  @Test
  void aHangingSlackTimesOutAndIsRetried() throws Exception {
    ScriptedHttpServer s = server(Answer.of(200, "ok"), Answer.hang());
    start(SlackSink.builder().webhookUrl(s.url("/hook")).minInterval(Duration.ZERO)
        .requestTimeout(Duration.ofSeconds(1)).build());
    open("payment_service");
    awaitSettled(1);
    assertThat(manager.stats().get(0).delivered()).isEqualTo(1);
    assertThat(manager.stats().get(0).retried()).isEqualTo(1);
    assertThat(s.received()).hasSize(2);
  }

  @Test
  void connectionRefusedIsRetriedThenGivenUp() throws Exception {
    start(SlackSink.builder().webhookUrl(ScriptedHttpServer.refusedUrl("/services/T0/B0/XXXXSECRET"))
        .minInterval(Duration.ZERO).build());
    open("payment_service");
    awaitSettled(1);
    SinkStats stats = manager.stats().get(0);
    assertThat(stats.dropped()).isEqualTo(Map.of(DropReason.GAVE_UP, 1L));
    assertThat(stats.retried()).isEqualTo(3);
  }

  @Test
  void slackIsPacedToOneMessagePerInterval() throws Exception {
    ScriptedHttpServer s = server(Answer.of(200, "ok"));
    start(SlackSink.builder().webhookUrl(s.url("/hook")).minInterval(Duration.ofMillis(400)).build());
    long start = System.nanoTime();
    open("payment_service");
    open("inventory_service");
    open("notification_service");
    awaitSettled(3);
    // three messages, two gaps of at least 400 ms: a lower bound that load cannot break
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(800).toNanos());
    assertThat(s.received()).hasSize(3);
  }

  // ---- PagerDuty ----

  @Test
  void pagerDutyTriggersAndResolvesWithTheSameDedupKey() throws Exception {
    ScriptedHttpServer s = server(Answer.of(202, "{\"status\":\"success\",\"message\":\"Event processed\"}"));
    start(PagerDutySink.builder().routingKey("R0UTINGKEY0123456789").baseUrl(s.url("")).build());
    open("payment_service");
    awaitSettled(1);
    close("payment_service");
    awaitSettled(2);
    assertThat(manager.stats().get(0).delivered()).isEqualTo(2);
    List<ScriptedHttpServer.Received> r = s.received();
    assertThat(r).extracting(ScriptedHttpServer.Received::path).containsExactly("/v2/enqueue", "/v2/enqueue");
    assertThat(json(r.get(0).body())).isEqualTo(json("""
        {"routing_key":"R0UTINGKEY0123456789","event_action":"trigger","dedup_key":"breaker_open:payment_service",
         "payload":{"summary":"Circuit breaker payment_service is open","source":"payment_service",
                    "severity":"critical","timestamp":"2026-12-01T09:00:00Z","class":"CircuitBreakerOpen",
                    "custom_details":{"details":"Calls to payment_service are rejected: opened by operator.",
                                      "severity":"critical","reason":"opened by operator","service":"payment_service","state":"open"}}}
        """));
    assertThat(json(r.get(1).body())).isEqualTo(json("""
        {"routing_key":"R0UTINGKEY0123456789","event_action":"resolve","dedup_key":"breaker_open:payment_service"}
        """));
  }

  @Test
  void pagerDutySeveritiesAreMappedToItsFour() {
    assertThat(List.of(Severity.values())).extracting(PagerDutySink::severity)
        .containsExactly("critical", "error", "warning", "info", "info");
  }

  @Test
  void pagerDutyRetriesA429AndA503AndDropsA400() throws Exception {
    ScriptedHttpServer s = server(Answer.of(202, "{}"), Answer.retryAfter(429, "1"), Answer.of(503, ""),
        Answer.of(400, "{\"status\":\"invalid event\"}"));
    start(PagerDutySink.builder().integrationKey("R0UTINGKEY0123456789").baseUrl(s.url("/")).build());
    open("payment_service");
    awaitSettled(1);
    assertThat(manager.stats().get(0).dropped()).isEqualTo(Map.of(DropReason.PERMANENT_ERROR, 1L));
    open("inventory_service");
    awaitSettled(2);
    assertThat(manager.stats().get(0).delivered()).isEqualTo(1);
    assertThat(manager.stats().get(0).retried()).isEqualTo(2);
  }

  // ---- webhook ----

  @Test
  void theWebhookReceivesTheNotificationAsJsonWithItsHeaders() throws Exception {
    ScriptedHttpServer s = server(Answer.of(204, ""));
    start(WebhookSink.builder().url(s.url("/hooks/risk")).header("Authorization", "Bearer T0KEN").build());
    open("payment_service");
    awaitSettled(1);
    close("payment_service");
    awaitSettled(2);
    List<ScriptedHttpServer.Received> r = s.received();
    assertThat(r.get(0).header("Authorization")).isEqualTo("Bearer T0KEN");
    assertThat(json(r.get(0).body())).isEqualTo(json("""
        {"version":"1","status":"firing","summary":"[FIRING:1] critical: Circuit breaker payment_service is open",
         "createdAt":"2026-12-01T09:00:00Z",
         "alerts":[{"key":"breaker_open:payment_service","kind":"breaker_open","alertname":"CircuitBreakerOpen",
                    "status":"firing","severity":"critical","source":"payment_service",
                    "title":"Circuit breaker payment_service is open",
                    "details":"Calls to payment_service are rejected: opened by operator.",
                    "startsAt":"2026-12-01T09:00:00Z",
                    "labels":{"reason":"opened by operator","service":"payment_service","state":"open"}}]}
        """));
    JsonNode resolved = json(r.get(1).body());
    assertThat(resolved.get("status").asText()).isEqualTo("resolved");
    assertThat(resolved.get("alerts").get(0).get("endsAt").asText()).isEqualTo("2026-12-01T09:00:30Z");
  }

  // ---- URLs ----

  @Test
  void httpIsRefusedExceptForLoopbackAndBadUrlsAreNotEchoed() {
    assertThatThrownBy(() -> SlackSink.builder().webhookUrl("http://hooks.slack.com/services/T0/B0/SECRET").build())
        .hasMessage("slack webhook_url must use https; http is allowed only for loopback addresses");
    assertThatThrownBy(() -> SlackSink.builder().webhookUrl("https://hooks slack com/SECRET").build())
        .hasMessage("slack webhook_url is not a valid URL (value not shown: it is a secret)");
    assertThatThrownBy(() -> PagerDutySink.builder().routingKey("k").baseUrl("ftp://events.example.com").build())
        .hasMessage("pagerduty base_url must use https (or http for a loopback address), was ftp://events.example.com");
    assertThat(SlackSink.builder().webhookUrl("http://[::1]:8080/x").build()).isNotNull();
    assertThat(SlackSink.builder().webhookUrl("https://hooks.slack.com/services/T0/B0/SECRET").build().toString())
        .doesNotContain("SECRET");
  }
}
