package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThatCode;

import static io.riskmodules.breaker.internal.LincheckBreakers.scenario;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.Permit;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the half-open permits: whatever the interleaving of probes asking for a permit and
 * probes finishing (successfully, or released unused), a probe is let through exactly when fewer
 * than {@code half_open_max_calls} probes are in flight in some order of the same operations. The
 * breaker stays HALF_OPEN here (the success threshold is never reached, no probe fails, none
 * times out).
 */
public class HalfOpenLincheckTest {
  private final CircuitBreaker breaker = LincheckBreakers.breaker(CircuitBreakerConfig.builder()
      .halfOpenMaxCalls(2).successThreshold(1_000).halfOpenProbeTimeout(Duration.ofMinutes(1)).build());
  /** Permits of probes in flight, for the operations that finish one. */
  private final ConcurrentLinkedDeque<Permit> inFlight = new ConcurrentLinkedDeque<>();

  public HalfOpenLincheckTest() {
    breaker.transitionTo(CircuitState.HALF_OPEN);
  }

  @Operation
  public boolean probe() {
    Optional<Permit> permit = breaker.tryAcquirePermit();
    permit.ifPresent(inFlight::push);
    return permit.isPresent();
  }

  @Operation
  public void succeed() {
    Permit p = inFlight.poll();
    if (p != null) {
      p.onSuccess(0);
    }
  }

  @Operation
  public void release() {
    Permit p = inFlight.poll();
    if (p != null) {
      p.release();
    }
  }

  @Test
  void probesInFlightNeverExceedTheLimit() {
    // Lincheck throws with the interleaving that breaks linearizability
    assertThatCode(() -> LincheckBreakers.options(5, 100).threads(2).actorsPerThread(3)
        .addCustomScenario(scenario(getClass(), new String[] {"probe"},
            new String[][] {{"probe", "succeed", "probe"}, {"probe", "release", "probe"}}, new String[] {"probe"}))
        .check(getClass()))
        .as("model check").doesNotThrowAnyException();
  }
}
