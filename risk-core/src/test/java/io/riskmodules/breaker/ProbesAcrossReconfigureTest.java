package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 10, defect 4: a reconfigure that changes half_open_max_calls keeps the probes in flight. */
class ProbesAcrossReconfigureTest {
  private final ManualTime time = new ManualTime();
  private final CircuitBreakerConfig twoProbes = CircuitBreakerConfig.builder()
      .failureThreshold(1).halfOpenMaxCalls(2).successThreshold(10).build();
  private final CircuitBreaker b = breaker(time, twoProbes);

  private List<Permit> halfOpenWithProbes(int n) {
    fail(b, 1);
    time.advance(Duration.ofSeconds(30));
    List<Permit> probes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      probes.add(b.acquirePermit());
    }
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    return probes;
  }

  private int admitted() {
    int n = 0;
    for (Optional<Permit> p = b.tryAcquirePermit(); p.isPresent(); p = b.tryAcquirePermit()) {
      n++;
    }
    return n;
  }

  @Test
  void raisingTheLimitWithTwoInFlightAdmitsOneMoreNotThree() {
    halfOpenWithProbes(2);
    b.reconfigure(twoProbes.toBuilder().halfOpenMaxCalls(3).build());
    assertThat(admitted()).isEqualTo(1);
  }

  @Test
  void loweringTheLimitAdmitsNoneUntilTheProbesInFlightFallBelowIt() {
    List<Permit> probes = halfOpenWithProbes(2);
    b.reconfigure(twoProbes.toBuilder().halfOpenMaxCalls(1).build());
    assertThat(admitted()).isZero();
    probes.get(0).onSuccess(1_000);
    assertThat(admitted()).as("one still in flight, limit 1").isZero();
    probes.get(1).onSuccess(1_000);
    assertThat(admitted()).isEqualTo(1);
  }

  @Test
  void aProbeFromBeforeTheReconfigureStillReturnsItsPermit() {
    List<Permit> probes = halfOpenWithProbes(2);
    b.reconfigure(twoProbes.toBuilder().halfOpenMaxCalls(3).build());
    assertThat(admitted()).isEqualTo(1);
    probes.get(0).onSuccess(1_000);
    assertThat(admitted()).isEqualTo(1);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void lateOutcomesOfProbesReclaimedAfterTheLimitWasLoweredDoNotCountAndTheNewProbeStaysCounted() {
    CircuitBreaker three = breaker(time, twoProbes.toBuilder().halfOpenMaxCalls(3)
        .halfOpenProbeTimeout(Duration.ofSeconds(5)).build());
    fail(three, 1);
    time.advance(Duration.ofSeconds(30));
    List<Permit> stuck = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      stuck.add(three.acquirePermit());
      time.advance(Duration.ofSeconds(1));
    }
    three.reconfigure(three.config().toBuilder().halfOpenMaxCalls(1).build());
    time.advance(Duration.ofSeconds(5)); // all three overdue
    Permit fresh = three.acquirePermit(); // reclaims all three: the limit is 1
    for (Permit p : stuck) {
      p.onFailure(1_000);
    }
    assertThat(three.state()).as("reclaimed: their outcomes do not count").isEqualTo(CircuitState.HALF_OPEN);
    assertThat(three.tryAcquirePermit()).as("the new probe still holds the one permit").isEmpty();
    fresh.onFailure(1_000);
    assertThat(three.state()).isEqualTo(CircuitState.OPEN);
  }
}
