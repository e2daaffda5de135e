package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A call that is running when the breaker is reconfigured ends under the new config: "a new
 * config applies to live breakers". Found by the reference model (DifferentialTest).
 */
class ReconfigureInFlightTest {
  private final ManualTime time = new ManualTime();

  @Test
  void aFailureAfterAReconfigureIsJudgedByTheNewFailureThreshold() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1).build());
    Permit running = b.acquirePermit();
    b.reconfigure(b.config().toBuilder().failureThreshold(4).build());
    running.onFailure(0);
    assertThat(b.state()).as("1 consecutive failure < failure_threshold 4").isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aCallEndingAfterAReconfigureIsSlowByTheNewThreshold() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .slowCallDurationThreshold(Duration.ofMillis(100)).build());
    Permit running = b.acquirePermit();
    b.reconfigure(b.config().toBuilder().slowCallDurationThreshold(Duration.ofMillis(900)).build());
    running.onSuccess(Duration.ofMillis(500).toNanos());
    assertThat(b.status().slowCalls()).as("500 ms < slow_call_duration_threshold 900 ms").isZero();
  }

  @Test
  void aCallStartedAndEndedUnderOneConfigIsJudgedByIt() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .slowCallDurationThreshold(Duration.ofMillis(100)).failureThreshold(2).build());
    b.reconfigure(b.config().toBuilder().slowCallDurationThreshold(Duration.ofMillis(900)).build());
    b.acquirePermit().onSuccess(Duration.ofMillis(500).toNanos());
    b.acquirePermit().onFailure(0);
    assertThat(b.status().slowCalls()).isZero();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }
}
