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
}
