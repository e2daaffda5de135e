package io.riskmodules.testing;

import static io.riskmodules.testing.AlertMatchers.firing;
import static io.riskmodules.testing.AlertMatchers.key;
import static io.riskmodules.testing.AlertMatchers.resolved;
import static io.riskmodules.testing.AlertMatchers.severity;
import static io.riskmodules.testing.AlertMatchers.source;
import static io.riskmodules.testing.RiskAssertions.assertThat;
import static io.riskmodules.testing.RiskAssertions.assertThatThrownBy;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.DeliveryException;
import io.riskmodules.alerts.Notification;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingAlertSinkTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingAlertSink sink = new RecordingAlertSink();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
      .config("payment_service", CircuitBreakerConfig.builder().failureThreshold(3).build())
      .ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
  private final AlertManager alerts = AlertManager.builder()
      .sink(sink)
      .breakerOpenSeverity("payment_service", Severity.CRITICAL)
      .groupWait(Duration.ofSeconds(10))
      .ticker(clock).clock(clock)
      .build();

  @AfterEach
  void close() {
    alerts.close(Duration.ofSeconds(5));
  }

  /** The manager evaluates on the manual clock's time, as the JUnit extension arranges. */
  private void evaluateEverySecond() {
    clock.scheduler().scheduleAtFixedRate(alerts::evaluate, 0, 1, TimeUnit.SECONDS);
  }

  @Test
  void recordsTheAlertsOfABreakerThatOpensAndCloses() {
    alerts.attach(registry);
    evaluateEverySecond();
    CircuitBreaker payments = registry.breaker("payment_service");
    SimulatedService<String> service = SimulatedService.create(clock).failNext(3);
    for (int i = 0; i < 3; i++) {
      payments.execute(service, cause -> "fallback");
    }

    clock.advance(Duration.ofSeconds(9));
    assertThat(sink).hasNoNotification();
    clock.advance(Duration.ofSeconds(1)); // group wait over

    Alert open = sink.await(key("breaker_open:payment_service").and(firing()), Duration.ofSeconds(10));
    assertThat(open).hasSeverity(Severity.CRITICAL).hasKind(AlertKind.BREAKER_OPEN).hasSource("payment_service");
    assertThat(sink).hasFiring("breaker_open:payment_service", Severity.CRITICAL);
    assertThat(sink.firingKeys()).containsExactly("breaker_open:payment_service");

    payments.reset();
    clock.advance(Duration.ofSeconds(10));

    assertThat(sink).hasResolved("breaker_open:payment_service");
    assertThat(sink.alerts(resolved())).hasSize(1);
    assertThat(sink.firingKeys()).isEmpty();
    assertThat(sink.last("breaker_open:payment_service")).get().satisfies(a -> assertThat(a).isResolved());
    assertThat(sink).hasNoAlert(source("inventory_service"));
  }

  @Test
  void aFailingMatcherListsWhatWasReceived() {
    alerts.fire(Alert.firing("disk:node-1", AlertKind.CUSTOM, Severity.HIGH, "node-1", "Disk almost full",
        "92% used", clock.instant()));
    evaluateEverySecond();
    clock.advance(Duration.ofSeconds(10));
    sink.awaitNotifications(1, Duration.ofSeconds(10));

    assertThatThrownBy(() -> assertThat(sink).within(Duration.ofMillis(50)).hasFiring("disk:node-2"))
        .hasMessageContaining("the last alert with key disk:node-2 to be FIRING")
        .hasMessageContaining("1 notification(s) recorded")
        .hasMessageContaining("FIRING high CUSTOM key=disk:node-1");
    assertThatThrownBy(() -> sink.await(severity(Severity.CRITICAL), Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("key=disk:node-1");
    assertThat(sink).hasAlert(severity(Severity.HIGH)).hasAtLeastNotifications(1);
  }

  @Test
  void failedDeliveriesAreRetriedAndNotRecorded() {
    RecordingAlertSink direct = new RecordingAlertSink("direct");
    direct.failNext(1, () -> DeliveryException.permanent("rejected"));
    Notification n = new Notification(List.of(Alert.firing("k", AlertKind.CUSTOM, Severity.LOW, "s", "t", "",
        clock.instant())), clock.instant());

    assertThatThrownBy(() -> direct.deliver(n)).isInstanceOf(DeliveryException.class);
    assertThat(direct.notifications()).isEmpty();
    assertThat(direct.failedDeliveries()).isEqualTo(1);
    assertThat(direct.name()).isEqualTo("direct");

    direct.clear();
    assertThat(direct.notifications()).isEmpty();
  }

  @Test
  void failNextMakesTheManagerRetry() {
    sink.failNext(1, () -> DeliveryException.retryable("busy", Duration.ZERO));
    alerts.fire(Alert.firing("disk:node-1", AlertKind.CUSTOM, Severity.HIGH, "node-1", "Disk almost full",
        "", clock.instant()));
    evaluateEverySecond();
    clock.advance(Duration.ofSeconds(10));

    assertThat(sink).hasFiring("disk:node-1");
    assertThat(sink.failedDeliveries()).isEqualTo(1);
  }
}
