package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Overdue probes are reclaimed oldest first; probes permitted in the same tick (common with a
 * coarse ticker) are as old as the order they were permitted in. Found by DifferentialTest with
 * more histories (seeds 51254, 59586, 72621, 83658, 253989 of Scenario.ALL at length 80): the
 * breaker reclaimed the probe that had been moved into the slot of the one reclaimed before it
 * (swap-remove), not the earliest permitted, so the reference model and the breaker disagreed on
 * whose outcome still counts.
 */
class SimultaneousProbesReclaimTest {
  private final ManualTime time = new ManualTime();

  @Test
  void ofProbesPermittedInOneTickTheEarliestPermittedIsReclaimedFirst() {
    CircuitBreaker breaker = CircuitBreaker.builder("svc").config(CircuitBreakerConfig.builder()
            .halfOpenMaxCalls(3).successThreshold(3).halfOpenProbeTimeout(Duration.ofSeconds(5)).build())
        .ticker(time).clock(time).eventExecutor(Runnable::run).build();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> breaker.execute(() -> {
        throw new IllegalStateException("boom");
      })).isInstanceOf(IllegalStateException.class);
    }
    time.advance(Duration.ofSeconds(30));
    Permit first = breaker.acquirePermit();
    Permit second = breaker.acquirePermit();
    Permit third = breaker.acquirePermit();
    time.advance(Duration.ofSeconds(6)); // all three overdue, equally old by the ticker
    Permit fourth = breaker.acquirePermit(); // reclaims first
    Permit fifth = breaker.acquirePermit(); // reclaims second, the earliest permitted of the rest

    first.onFailure(1_000);
    assertThat(breaker.state()).as("first was reclaimed: its failure is not counted")
        .isEqualTo(CircuitState.HALF_OPEN);
    second.onFailure(1_000);
    assertThat(breaker.state()).as("second was reclaimed next (permitted before third): not counted")
        .isEqualTo(CircuitState.HALF_OPEN);
    third.onFailure(1_000);
    assertThat(breaker.state()).as("third still holds its permit: its failure re-opens")
        .isEqualTo(CircuitState.OPEN);
    fourth.release();
    fifth.release();
  }
}
