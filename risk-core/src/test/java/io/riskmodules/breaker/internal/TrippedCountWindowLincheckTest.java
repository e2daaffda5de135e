package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThatCode;

import static io.riskmodules.breaker.internal.LincheckBreakers.scenario;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks what a tripped count window shows: the rates it tripped on. A success that ends
 * between the trip decision and the window's retirement must not enter the frozen counts: after
 * F, S, then F racing S, a window of 3 that trips at 2 failures in 3 must show 2 in 3 while OPEN,
 * never 1 in 3 (a rate below the threshold it tripped on, which no order of the calls gives).
 * (That the decision and the move to OPEN are one step is checked by ConcurrentDifferentialTest.)
 */
public class TrippedCountWindowLincheckTest {
  private final CircuitBreaker breaker = LincheckBreakers.breaker(CircuitBreakerConfig.builder()
      .countBasedWindow(3).minimumNumberOfCalls(3).failureRateThreshold(0.6).failureThreshold(1_000)
      .disableSlowCallDetection().build());

  @Operation
  public void success() {
    LincheckBreakers.succeed(breaker);
  }

  @Operation
  public void failure() {
    LincheckBreakers.fail(breaker);
  }

  /** Once tripped, the window shows the rates it tripped on: 2 failures in 3 or more, never fewer. */
  @Validate
  public void aTrippedWindowShowsTheRatesItTrippedOn() {
    CircuitBreakerStatus s = breaker.status();
    if (s.state() == CircuitState.OPEN && s.failureRate() < 0.6) {
      throw new AssertionError("OPEN with " + s.callsInWindow() + " calls, failure rate " + s.failureRate());
    }
  }

  @Test
  void tripsKeepTheRatesTheyTrippedOn() {
    // Lincheck throws with the interleaving that breaks linearizability
    assertThatCode(() -> LincheckBreakers.options(6, 150).threads(2).actorsPerThread(3)
        .addCustomScenario(scenario(getClass(), new String[] {"failure", "success"},
            new String[][] {{"failure"}, {"success"}}, new String[] {}))
        .check(getClass()))
        .as("model check").doesNotThrowAnyException();
  }
}
