package io.riskmodules.testing;

import static io.riskmodules.testing.AlertMatchers.key;
import static io.riskmodules.testing.AlertMatchers.resolved;
import static io.riskmodules.testing.RiskAssertions.assertThat;

import io.riskmodules.RiskModules;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.risk.RiskLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RFC-136 §3.1 {@code test_recovery}: once the downstream is back the breaker returns to CLOSED
 * with a clean window, the risk level falls and the alerts resolve; also from a probe that hangs
 * and from a downstream that flaps.
 */
@ExtendWith(RiskModulesExtension.class)
@RiskModulesConfig(files = {"../examples/config/circuit_breaker_config.yaml", "../examples/config/alert_config.yaml"})
class RfcRecoverySuiteTest {

  private static void open(CircuitBreaker breaker, SimulatedService<String> service) {
    service.failAlways();
    while (breaker.state() == CircuitState.CLOSED) {
      breaker.execute(service, cause -> "fallback");
    }
  }

  /** Advances sample by sample (10 s) until {@code name}'s level is below HIGH; returns the time it took. */
  private static Duration untilRiskFalls(RiskModules risk, ManualClock clock, String name) {
    Duration waited = Duration.ZERO;
    while (risk.riskAssessor().level(name).compareTo(RiskLevel.HIGH) >= 0 && waited.toMinutes() < 10) {
      clock.advance(Duration.ofSeconds(10));
      waited = waited.plusSeconds(10);
    }
    return waited;
  }

  @Test
  void afterTheDownstreamRecoversTheBreakerClosesCleanTheRiskFallsAndTheAlertResolves(RiskModules risk,
      ManualClock clock, RecordingAlertSink alerts, SimulatedService<String> payments) {
    CircuitBreaker breaker = risk.breaker("payment_service");
    open(breaker, payments);
    clock.advance(Duration.ofSeconds(10));
    assertThat(risk.riskAssessor().level("payment_service")).isGreaterThanOrEqualTo(RiskLevel.HIGH);
    assertThat(alerts).hasFiring("breaker_open:payment_service", Severity.CRITICAL);

    payments.recover();
    clock.advance(Duration.ofSeconds(50)); // the 60 s open timeout is over
    for (int i = 0; i < 5; i++) {
      breaker.execute(payments);
    }

    assertThat(breaker).isClosed().hasEmptyWindow().hasNotEnoughCalls();
    clock.advance(Duration.ofSeconds(10));
    assertThat(alerts).hasResolved("breaker_open:payment_service");
    assertThat(untilRiskFalls(risk, clock, "payment_service")).isLessThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(risk.riskAssessor().latest("payment_service")).hasValueSatisfying(a ->
        assertThat(a).hasLevelBelow(RiskLevel.HIGH));
    for (int i = 0; i < 20; i++) {
      breaker.execute(payments);
    }
    assertThat(breaker).isClosed().hasFailureRate(0).hasCallsInWindow(20);
  }

  @Test
  void recoversFromProbesThatHang(RiskModules risk, ManualClock clock, SimulatedService<String> payments)
      throws Exception {
    CircuitBreaker breaker = risk.breaker("payment_service");
    open(breaker, payments);
    clock.advance(Duration.ofSeconds(60));
    payments.recover().hangNext(3); // half_open_max_calls 3: every probe permit is held
    List<CompletableFuture<String>> hung = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      hung.add(CompletableFuture.supplyAsync(() -> breaker.execute(payments)));
    }
    assertThat(payments.awaitHanging(3, Duration.ofSeconds(10))).isTrue();
    assertThat(breaker).isHalfOpen();
    assertThat(breaker.execute(() -> "probe", cause -> "rejected")).isEqualTo("rejected");

    clock.advance(Duration.ofSeconds(60)); // half_open_probe_timeout: their permits may be reclaimed
    for (int i = 0; i < 5; i++) {
      breaker.execute(payments);
    }
    assertThat(breaker).isClosed().hasEmptyWindow();

    payments.release(); // the hung probes end late: their outcomes belong to no window
    for (CompletableFuture<String> f : hung) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    }
    assertThat(breaker).isClosed().hasEmptyWindow();
  }

  @Test
  void recoversFromADownstreamThatFlaps(RiskModules risk, ManualClock clock, RecordingAlertSink alerts,
      SimulatedService<String> inventory) {
    CircuitBreaker breaker = risk.breaker("inventory_service"); // success_threshold 3, timeout 20 s
    open(breaker, inventory);
    for (int flap = 0; flap < 3; flap++) {
      clock.advance(Duration.ofSeconds(20));
      assertThat(breaker).isHalfOpen();
      inventory.succeedNext(2).failNext(1);
      breaker.execute(inventory, cause -> "fallback");
      breaker.execute(inventory, cause -> "fallback");
      breaker.execute(inventory, cause -> "fallback"); // the third probe fails: open again
      assertThat(breaker).isOpen().hasRemainingOpenTime(Duration.ofSeconds(20));
    }
    assertThat(alerts).hasFiring("breaker_open:inventory_service", Severity.HIGH);

    inventory.recover();
    clock.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 3; i++) {
      breaker.execute(inventory);
    }

    assertThat(breaker).isClosed().hasEmptyWindow()
        .hasPassedThrough(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.OPEN, CircuitState.HALF_OPEN,
            CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
    clock.advance(Duration.ofSeconds(10));
    assertThat(alerts).hasResolved("breaker_open:inventory_service");
    assertThat(alerts.alerts(key("breaker_open:inventory_service").and(resolved()))).hasSize(1); // never resolved while flapping
    assertThat(untilRiskFalls(risk, clock, "inventory_service")).isLessThanOrEqualTo(Duration.ofMinutes(1));
  }
}
