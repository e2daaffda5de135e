package io.riskmodules.testing;

import static io.riskmodules.testing.RiskAssertions.assertThat;

import io.riskmodules.RiskModules;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.fallback.FallbackResponse;
import io.riskmodules.risk.RiskLevel;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC-136 §3.1 {@code test_circuit_breaker_live}: each service of the RFC's {@code
 * circuit_breaker_config.yaml} trips at its own thresholds, answers the configured fallback while
 * open, half-opens after its own timeout and closes after its own success threshold; its risk
 * level and alerts ({@code alert_config.yaml}) follow.
 */
@ExtendWith(RiskModulesExtension.class)
@RiskModulesConfig(files = {"../examples/config/circuit_breaker_config.yaml", "../examples/config/alert_config.yaml"})
class RfcLiveSuiteTest {

  /** The RFC's services: failure_threshold, success_threshold, timeout_seconds, and the alert's severity. */
  static Stream<Arguments> services() {
    return Stream.of(
        Arguments.of("payment_service", 3, 5, 60, Severity.CRITICAL),
        Arguments.of("inventory_service", 10, 3, 20, Severity.HIGH),
        Arguments.of("notification_service", 15, 2, 10, Severity.LOW));
  }

  /** Successes first, so that the failure rate stays under 50% and the consecutive count decides. */
  private static void warmUp(CircuitBreaker breaker, SimulatedService<String> service) {
    for (int i = 0; i < 20; i++) {
      breaker.execute(service);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void tripsAtItsOwnFailureThreshold(String name, int failureThreshold, int successThreshold, int timeoutSeconds,
      Severity severity, RiskModules risk, SimulatedService<String> service) {
    CircuitBreaker breaker = risk.breaker(name);
    warmUp(breaker, service);
    service.failAlways();

    for (int i = 1; i < failureThreshold; i++) {
      breaker.execute(service, cause -> "fallback");
    }
    assertThat(breaker).isClosed().hasConsecutiveFailures(failureThreshold - 1);
    breaker.execute(service, cause -> "fallback");

    assertThat(breaker).isOpen().hasFailedCalls(failureThreshold)
        .hasRemainingOpenTime(Duration.ofSeconds(timeoutSeconds));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void tripsWhenHalfOfTenCallsFail(String name, int failureThreshold, int successThreshold, int timeoutSeconds,
      Severity severity, RiskModules risk, SimulatedService<String> service) {
    CircuitBreaker breaker = risk.breaker(name);
    for (int i = 0; i < 9; i++) {
      if (i % 2 == 0) {
        service.succeedNext(1);
      } else {
        service.failNext(1);
      }
      breaker.execute(service, cause -> "fallback");
    }
    assertThat(breaker).isClosed().hasNotEnoughCalls();
    service.failNext(1);
    breaker.execute(service, cause -> "fallback"); // 5 of 10: failure_rate_threshold 0.5

    assertThat(breaker).isOpen().hasFailureRate(0.5).hasCallsInWindow(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void whileOpenRejectsWithTheFallbackResponseAndTheTimeReallyLeft(String name, int failureThreshold,
      int successThreshold, int timeoutSeconds, Severity severity, RiskModules risk, ManualClock clock,
      SimulatedService<String> service) {
    CircuitBreaker breaker = risk.breaker(name);
    service.failAlways();
    while (breaker.state() == CircuitState.CLOSED) {
      breaker.execute(service, cause -> "fallback");
    }
    long reached = service.calls();
    clock.advance(Duration.ofMillis(7_500));

    FallbackResponse answer = breaker.execute(() -> {
      throw new AssertionError("an open breaker let a call through");
    }, cause -> risk.fallbackResponse().render(cause));

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body().error()).isEqualTo("Service temporarily unavailable");
    assertThat(answer.body().retryAfter()).isEqualTo(timeoutSeconds - 7); // 52.5 s left -> 53
    assertThat(answer.body().toJson())
        .isEqualTo("{\"error\":\"Service temporarily unavailable\",\"retry_after\":" + (timeoutSeconds - 7) + "}");
    assertThat(service.calls()).isEqualTo(reached);
    assertThat(breaker).isOpen().hasRejectedCalls(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void halfOpensAfterItsOwnTimeoutAndClosesAfterItsOwnSuccessThreshold(String name, int failureThreshold,
      int successThreshold, int timeoutSeconds, Severity severity, RiskModules risk, ManualClock clock,
      SimulatedService<String> service) {
    CircuitBreaker breaker = risk.breaker(name);
    service.failAlways();
    while (breaker.state() == CircuitState.CLOSED) {
      breaker.execute(service, cause -> "fallback");
    }

    clock.advance(Duration.ofSeconds(timeoutSeconds).minusMillis(1));
    assertThat(breaker).isOpen().hasRemainingOpenTime(Duration.ofMillis(1));
    clock.advance(Duration.ofMillis(1));
    assertThat(breaker).isHalfOpen();

    service.recover();
    for (int i = 1; i < successThreshold; i++) {
      breaker.execute(service);
    }
    assertThat(breaker).isHalfOpen();
    breaker.execute(service);
    assertThat(breaker).isClosed().hasPassedThrough(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void itsRiskLevelAndAlertsFollow(String name, int failureThreshold, int successThreshold, int timeoutSeconds,
      Severity severity, RiskModules risk, ManualClock clock, RecordingAlertSink alerts,
      SimulatedService<String> service) {
    CircuitBreaker breaker = risk.breaker(name);
    service.failAlways();
    while (breaker.state() == CircuitState.CLOSED) {
      breaker.execute(service, cause -> "fallback");
    }
    for (int i = 0; i < 5; i++) {
      assertThatRejected(breaker);
    }

    clock.advance(Duration.ofSeconds(10)); // one sample (metrics_interval_seconds) and the group wait

    assertThat(risk.riskAssessor().latest(name)).hasValueSatisfying(a ->
        assertThat(a).isFor(name).hasLevelAtLeast(RiskLevel.HIGH));
    assertThat(alerts).hasFiring("breaker_open:" + name, severity);
    assertThat(alerts).hasNoAlert(AlertMatchers.key("risk_high:" + name)); // inhibited by the open breaker
  }

  private static void assertThatRejected(CircuitBreaker breaker) {
    Throwable cause = breaker.execute(() -> null, c -> c);
    assertThat(cause).isInstanceOf(CallNotPermittedException.class);
  }
}
