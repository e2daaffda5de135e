package io.riskmodules.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.metrics.BreakerSample;
import io.riskmodules.risk.RiskAssessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertManagerTest {

  private final ManualTime time = new ManualTime();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
      .clock(time).ticker(time).eventExecutor(Runnable::run).build();
  private final RecordingSink all = new RecordingSink("all");
  private final RecordingSink pager = new RecordingSink("pager");
  private AlertManager manager;

  private AlertManager.Builder builder() {
    return AlertManager.builder()
        .clock(time).ticker(time)
        .groupWait(Duration.ofSeconds(10))
        .repeatInterval(Duration.ofHours(1))
        .sink(all)
        .sink(pager, Severity.CRITICAL)
        .breakerOpenSeverity("payment_service", Severity.CRITICAL)
        .breakerOpenSeverity("notification_service", Severity.LOW);
  }

  private AlertManager start(AlertManager.Builder b) {
    manager = b.build();
    manager.attach(registry);
    return manager;
  }

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close(Duration.ofSeconds(5));
    }
  }

  /** Moves time past the group wait and lets the manager send what is due. */
  private void afterGroupWait() {
    manager.evaluate();
    time.advance(Duration.ofSeconds(10));
    manager.evaluate();
  }

  private static void awaitLines(RecordingSink sink, String... lines) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sink.lines()).containsExactly(lines));
  }

  @Test
  void anOpenPaymentServiceIsCriticalAndClosingItResolves() {
    start(builder());
    CircuitBreaker payments = registry.breaker("payment_service");
    payments.transitionTo(CircuitState.OPEN);
    manager.evaluate();
    assertThat(all.notifications()).isEmpty(); // still within the group wait
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:payment_service critical");
    awaitLines(pager, "FIRING breaker_open:payment_service critical");

    payments.transitionTo(CircuitState.HALF_OPEN);
    payments.transitionTo(CircuitState.CLOSED);
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:payment_service critical", "RESOLVED breaker_open:payment_service critical");
    Alert resolved = all.notifications().get(1).alerts().get(0);
    assertThat(resolved.startsAt()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
    assertThat(resolved.endsAt()).isEqualTo(Instant.parse("2026-12-01T09:00:10Z"));
    assertThat(manager.active()).isEmpty();
  }

  @Test
  void anOpenNotificationServiceIsLowAndReachesOnlyTheSinksThatTakeLow() {
    start(builder());
    registry.breaker("notification_service").transitionTo(CircuitState.OPEN);
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:notification_service low");
    manager.close(Duration.ofSeconds(5));
    assertThat(pager.notifications()).isEmpty();
    assertThat(manager.stats().get(1).routed()).isZero();
  }

  @Test
  void reopeningFromHalfOpenIsTheSameAlertAndIsNotSentTwice() {
    start(builder());
    CircuitBreaker b = registry.breaker("payment_service");
    b.transitionTo(CircuitState.OPEN);
    afterGroupWait();
    b.transitionTo(CircuitState.HALF_OPEN);
    b.transitionTo(CircuitState.OPEN);
    b.transitionTo(CircuitState.HALF_OPEN);
    b.transitionTo(CircuitState.OPEN);
    afterGroupWait();
    afterGroupWait();
    manager.close(Duration.ofSeconds(5));
    assertThat(all.lines()).containsExactly("FIRING breaker_open:payment_service critical");
  }

  @Test
  void anAlertThatFiresAndResolvesWithinTheGroupWaitIsNeverSent() {
    start(builder());
    CircuitBreaker b = registry.breaker("payment_service");
    b.transitionTo(CircuitState.OPEN);
    b.transitionTo(CircuitState.CLOSED);
    afterGroupWait();
    manager.close(Duration.ofSeconds(5));
    assertThat(all.notifications()).isEmpty();
  }

  @Test
  void anUnresolvedAlertIsRepeatedOnlyAfterTheRepeatInterval() {
    start(builder());
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:payment_service critical");
    time.advance(Duration.ofMinutes(59));
    afterGroupWait(); // 59m10s after the first notification
    assertThat(all.lines()).hasSize(1);
    time.advance(Duration.ofSeconds(50));
    afterGroupWait(); // 1h after: due, sent after the group wait
    awaitLines(all, "FIRING breaker_open:payment_service critical", "FIRING breaker_open:payment_service critical");
  }

  @Test
  void forcedOpenByAnOperatorIsItsOwnKind() {
    start(builder().forcedOpenSeverity("payment_service", Severity.HIGH));
    CircuitBreaker b = registry.breaker("payment_service");
    b.trip();
    afterGroupWait();
    awaitLines(all, "FIRING breaker_forced_open:payment_service high");
    assertThat(all.notifications().get(0).alerts().get(0).kind()).isEqualTo(AlertKind.BREAKER_FORCED_OPEN);
    b.reset();
    afterGroupWait();
    awaitLines(all, "FIRING breaker_forced_open:payment_service high", "RESOLVED breaker_forced_open:payment_service high");
  }

  @Test
  void alertsThatFireTogetherAreGroupedIntoOneNotificationPerSink() {
    start(builder());
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    time.advance(Duration.ofSeconds(3));
    registry.breaker("inventory_service").transitionTo(CircuitState.OPEN);
    registry.breaker("notification_service").transitionTo(CircuitState.OPEN);
    afterGroupWait();
    await().atMost(Duration.ofSeconds(10)).until(() -> all.notifications().size() == 1);
    assertThat(all.notifications().get(0).alerts()).extracting(Alert::key).containsExactly(
        "breaker_open:payment_service", "breaker_open:inventory_service", "breaker_open:notification_service");
    assertThat(all.notifications().get(0).summary())
        .isEqualTo("[FIRING:3] critical: Circuit breaker payment_service is open (+2 more)");
  }

  @Test
  void aBreakerAlreadyOpenWhenAttachedFires() {
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    start(builder());
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:payment_service critical");
  }

  @Test
  void aBreakerRemovedFromTheRegistryResolvesItsAlerts() {
    start(builder());
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    afterGroupWait();
    registry.remove("payment_service");
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:payment_service critical", "RESOLVED breaker_open:payment_service critical");
  }

  private static BreakerSample sample(String name, CircuitState state, double failureRate, double slowRate) {
    return new BreakerSample(name, 0, state, 100, 50, 50, 0, 100, 0, failureRate, slowRate, 0, 1, 1, 1, 1, 10);
  }

  @Test
  void aHighRiskFiresAndFallingBackResolves() {
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    start(builder());
    manager.attach(assessor);
    assessor.assess(sample("inventory_service", CircuitState.CLOSED, 1.0, 1.0)); // 35 + 15 = 50: HIGH
    afterGroupWait();
    awaitLines(all, "FIRING risk_high:inventory_service high");
    assessor.assess(sample("inventory_service", CircuitState.CLOSED, 0, 0));
    afterGroupWait();
    awaitLines(all, "FIRING risk_high:inventory_service high", "RESOLVED risk_high:inventory_service high");
  }

  @Test
  void anOpenBreakerInhibitsTheRiskAlertOfTheSameService() {
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    start(builder());
    manager.attach(assessor);
    registry.breaker("inventory_service").transitionTo(CircuitState.OPEN);
    assessor.assess(sample("inventory_service", CircuitState.CLOSED, 1.0, 1.0));
    assessor.assess(sample("payment_service", CircuitState.CLOSED, 1.0, 1.0));
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:inventory_service high", "FIRING risk_high:payment_service high");
    assertThat(manager.active()).extracting(Alert::key).contains("risk_high:inventory_service");

    registry.breaker("inventory_service").transitionTo(CircuitState.CLOSED); // the risk alert is no longer held back
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:inventory_service high", "FIRING risk_high:payment_service high",
        "RESOLVED breaker_open:inventory_service high", "FIRING risk_high:inventory_service high");
  }

  @Test
  void withoutInhibitionsTheRiskAlertIsSentAlongsideTheOpenBreaker() {
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    start(builder().clearInhibitions());
    manager.attach(assessor);
    registry.breaker("inventory_service").transitionTo(CircuitState.OPEN);
    assessor.assess(sample("inventory_service", CircuitState.CLOSED, 1.0, 1.0));
    afterGroupWait();
    awaitLines(all, "FIRING breaker_open:inventory_service high", "FIRING risk_high:inventory_service high");
  }

  @Test
  void anApplicationAlertResolvesItselfAfterTheResolveTimeoutUnlessRaisedAgain() {
    start(builder().resolveTimeout(Duration.ofMinutes(5)));
    Alert disk = Alert.firing("disk:node-1", AlertKind.CUSTOM, Severity.CRITICAL, "node-1", "Disk almost full", "92%", time.instant());
    manager.fire(disk);
    afterGroupWait();
    awaitLines(all, "FIRING disk:node-1 critical");
    time.advance(Duration.ofMinutes(4));
    manager.fire(disk); // still true: refreshed
    afterGroupWait();
    assertThat(manager.active()).hasSize(1);
    time.advance(Duration.ofMinutes(5));
    afterGroupWait();
    awaitLines(all, "FIRING disk:node-1 critical", "RESOLVED disk:node-1 critical");
    awaitLines(pager, "FIRING disk:node-1 critical", "RESOLVED disk:node-1 critical");
  }

  @Test
  void theResolutionReachesTheSinksThatGotTheFiringAlertEvenWhenTheSeverityChanged() {
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    start(builder());
    manager.attach(assessor);
    // 35 + 15 + 15 (rejections) + 15 (latency) = 80: CRITICAL
    assessor.assess(new BreakerSample("inventory_service", 0, CircuitState.CLOSED, 100, 50, 50, 0, 100, 100,
        1.0, 1.0, 1.0, 5000, 5000, 5000, 5000, 10));
    afterGroupWait();
    awaitLines(pager, "FIRING risk_high:inventory_service critical");
    assessor.assess(sample("inventory_service", CircuitState.CLOSED, 1.0, 1.0)); // HIGH: pager does not take high
    afterGroupWait();
    assessor.assess(sample("inventory_service", CircuitState.CLOSED, 0, 0));
    afterGroupWait();
    awaitLines(pager, "FIRING risk_high:inventory_service critical", "RESOLVED risk_high:inventory_service high");
  }

  @Test
  void sendResolvedFalseSendsNoResolutions() {
    start(builder().sendResolved(false));
    CircuitBreaker b = registry.breaker("payment_service");
    b.transitionTo(CircuitState.OPEN);
    afterGroupWait();
    b.transitionTo(CircuitState.CLOSED);
    afterGroupWait();
    manager.close(Duration.ofSeconds(5));
    assertThat(all.lines()).containsExactly("FIRING breaker_open:payment_service critical");
  }

  @Test
  void closingSendsWhatIsStillWithinItsGroupWait() {
    start(builder());
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    manager.evaluate();
    assertThat(manager.close(Duration.ofSeconds(5))).isTrue();
    assertThat(all.lines()).containsExactly("FIRING breaker_open:payment_service critical");
    SinkStats stats = manager.stats().get(0);
    assertThat(stats.routed()).isEqualTo(1);
    assertThat(stats.delivered()).isEqualTo(1);
  }

  @Test
  void aStormOfAThousandOpeningBreakersReachesEachSinkAsAHandfulOfNotifications() {
    start(builder());
    for (int i = 0; i < 1000; i++) {
      registry.breaker("service-" + i).transitionTo(CircuitState.OPEN);
      time.advance(Duration.ofMillis(1)); // 1,000 within a second
    }
    afterGroupWait();
    manager.close(Duration.ofSeconds(10));
    assertThat(all.lines().size()).isEqualTo(1000);
    assertThat(all.lines().stream().distinct().count()).isEqualTo(1000);
    assertThat(all.notifications().size()).isLessThanOrEqualTo(5);
    assertThat(manager.stats().get(0).delivered()).isEqualTo(1000);
  }

  @Test
  void theBuilderNamesTheFieldAndValueItRefuses() {
    assertThatThrownBy(() -> AlertManager.builder().groupWait(Duration.ofSeconds(-1)))
        .hasMessage("group_wait must not be negative, was PT-1S");
    assertThatThrownBy(() -> AlertManager.builder().queueCapacity(0))
        .hasMessage("queue_capacity must be in [1, 1000000], was 0");
    assertThatThrownBy(() -> AlertManager.builder().sink(all).sink(new RecordingSink("all")))
        .hasMessage("sink name all is used twice; give one of them another name()");
    assertThatThrownBy(() -> AlertManager.builder().sink(all, java.util.Set.of()))
        .hasMessage("severity_filter of sink all must name at least one severity");
    assertThatThrownBy(() -> AlertManager.builder().inhibit(AlertKind.RISK_HIGH, AlertKind.RISK_HIGH))
        .hasMessage("an alert kind cannot inhibit itself, was RISK_HIGH");
    assertThat(Severity.parse("HIGH")).isEqualTo(Severity.HIGH);
    assertThatThrownBy(() -> Severity.parse("urgent"))
        .hasMessage("severity must be one of critical, high, medium, low, info, was urgent");
    assertThat(List.of(Severity.values())).extracting(Severity::value)
        .containsExactly("critical", "high", "medium", "low", "info");
  }
}
