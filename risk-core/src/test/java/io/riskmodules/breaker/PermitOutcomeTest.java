package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two-step form's result predicate, call by call; the expiry of an OPEN breaker on state(). */
class PermitOutcomeTest {
  private final ManualTime time = new ManualTime();

  private CircuitBreaker serverErrorsFail() {
    return breaker(time, CircuitBreakerConfig.builder().failureThreshold(1_000)
        .recordResult(r -> r instanceof Integer code && code >= 500).build());
  }

  /** Reports {@code result} on a new permit; returns what changed: "success", "failure" or "nothing". */
  private static String report(CircuitBreaker b, Object result) {
    CircuitBreakerStatus before = b.status();
    b.acquirePermit().onResult(0, result);
    CircuitBreakerStatus after = b.status();
    long succeeded = after.successfulCalls() - before.successfulCalls();
    long failed = after.failedCalls() - before.failedCalls();
    assertThat(succeeded + failed).as("one outcome per call").isLessThanOrEqualTo(1);
    return succeeded == 1 ? "success" : failed == 1 ? "failure" : "nothing";
  }

  @Test
  void theResultPredicateDecidesEachCall() {
    CircuitBreaker b = serverErrorsFail();
    assertThat(report(b, 200)).isEqualTo("success");
    assertThat(report(b, 503)).isEqualTo("failure");
    assertThat(report(b, 499)).isEqualTo("success");
    assertThat(report(b, 500)).isEqualTo("failure");
    assertThat(report(b, "a body")).isEqualTo("success");
    assertThat(report(b, null)).isEqualTo("success");
    assertThat(b.status().consecutiveFailures()).isZero();
    assertThat(report(b, 502)).isEqualTo("failure");
    assertThat(b.status().consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void withoutAPredicateEveryResultIsASuccess() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    assertThat(report(b, 503)).isEqualTo("success");
    assertThat(report(b, null)).isEqualTo("success");
  }

  @Test
  void onlyTheFirstReportOfAPermitCounts() {
    CircuitBreaker b = serverErrorsFail();
    Permit p = b.acquirePermit();
    p.onResult(0, 503);
    p.onResult(0, 200);
    p.onSuccess(0);
    p.release();
    CircuitBreakerStatus s = b.status();
    assertThat(s.failedCalls()).isEqualTo(1);
    assertThat(s.successfulCalls()).isZero();
    assertThat(s.ignoredCalls()).isZero();
  }

  @Test
  void aProbeResultThatFailsReopensAndOneThatSucceedsCloses() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1).successThreshold(1)
        .openTimeout(Duration.ofSeconds(10)).recordResult(r -> r instanceof Integer code && code >= 500).build());
    b.acquirePermit().onResult(0, 500);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    time.advance(Duration.ofSeconds(10));
    b.acquirePermit().onResult(0, 503);
    assertThat(b.state()).as("a failed probe").isEqualTo(CircuitState.OPEN);
    time.advance(Duration.ofSeconds(10));
    b.acquirePermit().onResult(0, 204);
    assertThat(b.state()).as("a good probe").isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void stateMovesAnOpenBreakerWhoseTimeIsOverAndPublishesThatOnce() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1)
        .openTimeout(Duration.ofSeconds(10)).build());
    List<StateTransition> seen = new ArrayList<>();
    b.onStateChange(seen::add);
    Faults.fail(b, 1);
    time.advance(Duration.ofMillis(9_999));
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofMillis(1));
    time.advance(Duration.ofMillis(1));
    assertThat(b.remainingOpenTime()).isZero();
    assertThat(seen).as("remainingOpenTime() moves nothing").hasSize(1);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(seen).extracting(StateTransition::to).containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN);
    assertThat(seen.get(1).reason()).isEqualTo("open timeout of 10000 ms elapsed");
  }

  @Test
  void theOpenTimeGrowsWithEachFailedProbeUpToTheCap() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1)
        .openTimeout(Duration.ofSeconds(10)).openTimeoutMultiplier(2.0).maxOpenTimeout(Duration.ofSeconds(30)).build());
    Faults.fail(b, 1);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(10));
    time.advance(Duration.ofSeconds(10));
    Faults.fail(b, 1);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(20));
    time.advance(Duration.ofSeconds(20));
    Faults.fail(b, 1);
    assertThat(b.remainingOpenTime()).as("40 s capped").isEqualTo(Duration.ofSeconds(30));
    time.advance(Duration.ofSeconds(30));
    Faults.succeed(b, 3);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    Faults.fail(b, 1);
    assertThat(b.remainingOpenTime()).as("closing starts the growth again").isEqualTo(Duration.ofSeconds(10));
  }
}
