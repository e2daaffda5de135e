package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThatCode;

import static io.riskmodules.breaker.internal.LincheckBreakers.scenario;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the consecutive-failure streak: the streak a read shows must be the one some order
 * of the calls leaves. A success racing a failure must not lose its reset (the breaker never
 * trips here, so every call is permitted and only the streak is checked).
 */
public class ConsecutiveFailuresLincheckTest {
  private final CircuitBreaker breaker = LincheckBreakers.breaker(CircuitBreakerConfig.builder()
      .failureThreshold(1_000).countBasedWindow(100).minimumNumberOfCalls(100).disableSlowCallDetection().build());

  @Operation
  public void success() {
    LincheckBreakers.succeed(breaker);
  }

  @Operation
  public void failure() {
    LincheckBreakers.fail(breaker);
  }

  @Operation
  public int streak() {
    return breaker.status().consecutiveFailures();
  }


  @Test
  void theStreakIsLinearizable() {
    // Lincheck throws with the interleaving that breaks linearizability
    assertThatCode(() -> LincheckBreakers.options(6, 150).threads(2).actorsPerThread(3)
        .addCustomScenario(scenario(getClass(), new String[] {"failure"},
            new String[][] {{"failure"}, {"success"}}, new String[] {"streak"}))
        .check(getClass()))
        .as("model check").doesNotThrowAnyException();
  }
}
