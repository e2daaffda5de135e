package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThatCode;

import static io.riskmodules.breaker.internal.LincheckBreakers.scenario;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the count window's accounting through the breaker: in every interleaving of
 * successes, failures and reads, the window a read shows (calls, failure rate) must be the one
 * some sequential order of the same calls leaves. Scenarios hold at most 7 operations and the
 * window 8, so it never trips and every call is permitted: this checks the placing of successes
 * by the shared counter and of failures under the lock. Trips are checked by
 * TrippedCountWindowLincheckTest and by the reference model.
 */
public class CountWindowLincheckTest {
  private final CircuitBreaker breaker = LincheckBreakers.breaker(CircuitBreakerConfig.builder()
      .countBasedWindow(8).minimumNumberOfCalls(100).failureThreshold(1_000)
      .slowCallDurationThreshold(Duration.ofSeconds(1)).build());

  @Operation
  public void success() {
    LincheckBreakers.succeed(breaker);
  }

  @Operation
  public void failure() {
    LincheckBreakers.fail(breaker);
  }

  @Operation
  public String window() {
    CircuitBreakerStatus s = breaker.status();
    return s.state() + ", " + s.callsInWindow() + " calls, failure rate " + s.failureRate();
  }

  @Test
  void theWindowIsLinearizable() {
    // Lincheck throws with the interleaving that breaks linearizability
    assertThatCode(() -> LincheckBreakers.options(5, 100)
        .actorsBefore(2).threads(2).actorsPerThread(2).actorsAfter(1)
        .addCustomScenario(scenario(getClass(), new String[] {"failure", "success"},
            new String[][] {{"failure", "window"}, {"success", "window"}}, new String[] {"window"}))
        .check(getClass()))
        .as("model check").doesNotThrowAnyException();
  }
}
