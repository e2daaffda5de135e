package io.riskmodules.testing;

import static io.riskmodules.testing.RiskAssertions.assertThat;
import static io.riskmodules.testing.RiskAssertions.assertThatThrownBy;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.risk.RiskAssessment;
import io.riskmodules.risk.RiskFactor;
import io.riskmodules.risk.RiskLevel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskAssertionsTest {

  private final ManualClock clock = new ManualClock();
  private final SimulatedService<String> service = SimulatedService.create(clock);
  private final CircuitBreaker breaker = CircuitBreaker.builder("payment_service")
      .config(CircuitBreakerConfig.builder()
          .failureThreshold(100)
          .failureRateThreshold(0.5)
          .minimumNumberOfCalls(5)
          .countBasedWindow(5)
          .openTimeout(Duration.ofSeconds(60))
          .build())
      .ticker(clock).clock(clock).eventExecutor(Runnable::run).build();

  private void threeFailuresOutOfFiveThenThreeRejected() {
    service.succeedNext(1).failNext(3).succeedNext(1);
    for (int i = 0; i < 8; i++) {
      breaker.execute(service, cause -> "fallback");
    }
  }

  @Test
  void theIssuesExampleHolds() {
    threeFailuresOutOfFiveThenThreeRejected();

    assertThat(breaker).isOpen().hasFailureRate(0.6).hasRejectedCalls(3);
    assertThat(breaker).hasName("payment_service").hasTotalCalls(8).hasSuccessfulCalls(2).hasFailedCalls(3)
        .hasCallsInWindow(5).hasEnoughCalls().hasLastTransition(CircuitState.CLOSED, CircuitState.OPEN)
        .hasRemainingOpenTime(Duration.ofSeconds(60));
    assertThat(service.calls()).isEqualTo(5); // plain AssertJ through the same import
  }

  @Test
  void aFailingAssertionPrintsTheWholeStatus() {
    threeFailuresOutOfFiveThenThreeRejected();

    assertThatThrownBy(() -> assertThat(breaker).isClosed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting state CLOSED")
        .hasMessageContaining("circuit breaker 'payment_service'")
        .hasMessageContaining("state:                OPEN (60000 ms of open time left)")
        .hasMessageContaining("total 8 = successful 2 + failed 3 + rejected 3 + ignored 0")
        .hasMessageContaining("failure rate 0.6000")
        .hasMessageContaining("CLOSED -> OPEN")
        .hasMessageContaining("failureThreshold=100");
    assertThatThrownBy(() -> assertThat(breaker).hasFailureRate(0.5))
        .hasMessageContaining("Expecting failure rate 0.5");
    assertThatThrownBy(() -> assertThat(breaker).hasRejectedCalls(4))
        .hasMessageContaining("Expecting 4 rejected call(s)");
  }

  @Test
  void eachCheckOfALiveBreakerReadsItAnew() {
    threeFailuresOutOfFiveThenThreeRejected();
    var before = breaker.status();
    clock.advance(Duration.ofSeconds(60));

    assertThat(before).isOpen().hasRemainingOpenTime(Duration.ofSeconds(60));
    assertThat(breaker).isHalfOpen();
    breaker.execute(service);
    breaker.execute(service);
    breaker.execute(service);
    assertThat(breaker).isClosed().hasEmptyWindow().hasNotEnoughCalls()
        .hasPassedThrough(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
  }

  @Test
  void statusSnapshotsHaveTheSameAssertions() {
    breaker.execute(service);
    assertThat(breaker.status()).isClosed().hasSuccessfulCalls(1).hasFailureRate(0).hasSlowCallRate(0)
        .hasIgnoredCalls(0).hasSlowCalls(0).hasConsecutiveFailures(0);
    breaker.trip();
    assertThat(breaker.status()).isForcedOpen();
    breaker.disable();
    assertThat(breaker.status()).isDisabled().isInState(CircuitState.DISABLED);
    assertThatThrownBy(() -> assertThat(breaker.status()).hasPassedThrough(CircuitState.OPEN))
        .hasMessageContaining("to have entered [OPEN] in this order");
  }

  @Test
  void riskAssessmentsPrintTheirFactorsWhenWrong() {
    RiskAssessment a = new RiskAssessment("inventory_service", clock.millis(), 62.5, RiskLevel.HIGH, List.of(
        new RiskFactor("failure_rate", 0.6, 0.5, 35, 35, "60% of calls failed"),
        new RiskFactor("p99_latency", 120, 1000, 15, 0, "p99 120 ms")));

    assertThat(a).isFor("inventory_service").hasLevel(RiskLevel.HIGH).hasLevelAtLeast(RiskLevel.MEDIUM)
        .hasLevelBelow(RiskLevel.CRITICAL).hasScoreBetween(60, 65).hasFactor("failure_rate")
        .hasFactorAbove("failure_rate", 30).hasNoContributionFrom("p99_latency");
    assertThatThrownBy(() -> assertThat(a).hasLevel(RiskLevel.LOW))
        .hasMessageContaining("Expecting level LOW")
        .hasMessageContaining("score 62.50, level HIGH")
        .hasMessageContaining("failure_rate: value 0.6000")
        .hasMessageContaining("60% of calls failed");
  }

  @Test
  void alertAssertions() {
    Alert firing = new Alert("breaker_open:payment_service", AlertKind.BREAKER_OPEN, Severity.CRITICAL,
        "payment_service", "payment_service breaker open", "", Alert.Status.FIRING, clock.instant(), null,
        Map.of("state", "open"));

    assertThat(firing).isFiring().hasSeverity(Severity.CRITICAL).hasKind(AlertKind.BREAKER_OPEN)
        .hasSource("payment_service").hasKey("breaker_open:payment_service").hasLabel("state", "open");
    assertThat(firing.resolvedAt(clock.instant())).isResolved();
    assertThatThrownBy(() -> assertThat(firing).hasSeverity(Severity.LOW))
        .hasMessageContaining("Expecting alert with severity LOW")
        .hasMessageContaining("FIRING critical BREAKER_OPEN key=breaker_open:payment_service");
  }
}
