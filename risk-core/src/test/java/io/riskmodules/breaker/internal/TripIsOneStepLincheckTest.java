package io.riskmodules.breaker.internal;

import static io.riskmodules.breaker.internal.LincheckBreakers.scenario;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.Permit;
import java.util.Optional;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Model-checks that a trip is one step: no success may end, and no permit be handed out, between
 * the window's decision to trip and the breaker's move to OPEN.
 *
 * <p>The defect (found by ConcurrentDifferentialTest, seed 83 of the tripping test): a failure
 * takes its place in the window from the count of fast successes, decides to trip on it, and moves
 * the breaker to OPEN, all under the window's lock; but fast successes do not take that lock. A
 * success that counted itself just after the failure read the count returned at once, and its
 * thread's next call was let through by the still CLOSED breaker, although the window had already
 * decided to trip without that success: an order no sequence of the calls gives.
 *
 * <p>The calls are taken in two steps (permit, outcome), as the threads of the differential test
 * see them: a call whose permit came before the trip and whose outcome came after it is right to
 * end "ok" and count nowhere. A window of 4 holding S F S F (50 %, threshold 60 %) has permits
 * out for a failure F and a success A when F and A report at once; then another call B asks.
 * F first trips (F S F F, 75 %) and B is rejected; A first keeps the window at 50 %, B is let
 * through and the breaker stays CLOSED. B let through and then OPEN is what the defect gave.
 */
public class TripIsOneStepLincheckTest {
  private final CircuitBreaker breaker = LincheckBreakers.breaker(CircuitBreakerConfig.builder()
      .countBasedWindow(4).minimumNumberOfCalls(3).failureRateThreshold(0.6).failureThreshold(1_000)
      .disableSlowCallDetection().build());
  private Permit permitF;
  private Permit permitA;

  @Operation
  public String success() {
    return LincheckBreakers.succeed(breaker);
  }

  @Operation
  public String failure() {
    return LincheckBreakers.fail(breaker);
  }

  @Operation
  public boolean acquireF() {
    permitF = breaker.tryAcquirePermit().orElse(null);
    return permitF != null;
  }

  @Operation
  public void failF() {
    if (permitF != null) {
      permitF.onError(0, new IllegalStateException("down"));
    }
  }

  @Operation
  public boolean acquireA() {
    permitA = breaker.tryAcquirePermit().orElse(null);
    return permitA != null;
  }

  @Operation
  public void succeedA() {
    if (permitA != null) {
      permitA.onSuccess(0);
    }
  }

  /** Another call asks: let through or not (its permit is released, which changes nothing). */
  @Operation
  public boolean acquireB() {
    Optional<Permit> b = breaker.tryAcquirePermit();
    b.ifPresent(Permit::release);
    return b.isPresent();
  }

  @Operation
  public String state() {
    return breaker.state().name();
  }

  @Test
  void noSuccessEndsAndNoPermitIsGivenBetweenTheTripDecisionAndOpen() {
    assertThatCode(() -> LincheckBreakers.options(0, 300).threads(2).actorsPerThread(2)
        .addCustomScenario(scenario(getClass(),
            new String[] {"success", "failure", "success", "failure", "acquireF", "acquireA"},
            new String[][] {{"failF"}, {"succeedA", "acquireB"}}, new String[] {"state"}))
        .check(getClass()))
        .as("model check").doesNotThrowAnyException();
  }
}
