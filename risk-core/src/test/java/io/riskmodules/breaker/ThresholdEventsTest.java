package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdEventsTest {
  private final ManualTime time = new ManualTime();

  @Test
  void fiveConsecutiveFailuresPublishTheCountAndTheThreshold() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<ThresholdExceeded> seen = new ArrayList<>();
    b.onThresholdExceeded(seen::add);
    fail(b, 5);
    assertThat(seen).containsExactly(
        new ThresholdExceeded.ConsecutiveFailures("svc", time.millis(), 5, 5, java.util.Map.of()));
    assertThat(seen.get(0).measured()).isEqualTo(5.0);
    assertThat(seen.get(0).threshold()).isEqualTo(5.0);
    assertThat(seen.get(0).setting()).isEqualTo("failure_threshold");
  }

  @Test
  void aFailureRateOfSixtyPercentOverTenCallsPublishesTheRateAndTheCalls() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(100).build());
    List<ThresholdExceeded> seen = new ArrayList<>();
    b.onThresholdExceeded(seen::add);
    for (int i = 0; i < 3; i++) {
      fail(b, 2);
      succeed(b, 1);
    }
    fail(b, 1); // 7 failures of 10 calls, 3 in a row at most
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(seen).singleElement().isInstanceOfSatisfying(ThresholdExceeded.FailureRate.class, r -> {
      assertThat(r.failureRate()).isEqualTo(0.7);
      assertThat(r.failureRateThreshold()).isEqualTo(0.5);
      assertThat(r.calls()).isEqualTo(10);
      assertThat(r.setting()).isEqualTo("failure_rate_threshold");
    });
  }

  @Test
  void slowCallsPublishTheSlowCallRate() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .slowCallDurationThreshold(Duration.ofMillis(100)).slowCallRateThreshold(0.5).minimumNumberOfCalls(4).build());
    List<ThresholdExceeded> seen = new ArrayList<>();
    b.onThresholdExceeded(seen::add);
    succeed(b, 2);
    b.execute(Faults.taking(time, Duration.ofMillis(150)));
    b.execute(Faults.taking(time, Duration.ofMillis(150)));
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(seen).singleElement().isEqualTo(
        new ThresholdExceeded.SlowCallRate("svc", time.millis(), 0.5, 0.5, 4, java.util.Map.of()));
  }

  @Test
  void theThresholdComesJustBeforeTheTransitionItCausedAndNeverToStateOrCallListeners() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<String> all = new ArrayList<>();
    List<Object> transitionsOnly = new ArrayList<>();
    List<Object> callsOnly = new ArrayList<>();
    b.onEvent(e -> all.add(e.getClass().getSimpleName()));
    b.onStateChange(transitionsOnly::add);
    b.onCall(callsOnly::add);
    fail(b, 5);
    assertThat(all).containsExactly("CallEvent", "CallEvent", "CallEvent", "CallEvent",
        "ConsecutiveFailures", "StateTransition", "CallEvent");
    assertThat(transitionsOnly).allMatch(StateTransition.class::isInstance).hasSize(1);
    assertThat(callsOnly).allMatch(CallEvent.class::isInstance).hasSize(5);
  }

  @Test
  void aFailedProbeAndAnOperatorsTripPublishNoThreshold() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<ThresholdExceeded> seen = new ArrayList<>();
    fail(b, 5);
    b.onThresholdExceeded(seen::add);
    time.advance(Duration.ofSeconds(30));
    fail(b, 1); // the probe
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    b.reset();
    b.transitionTo(CircuitState.OPEN);
    b.trip();
    assertThat(seen).isEmpty();
  }

  @Test
  void theTransitionsReasonStillSaysTheSameInWords() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<String> reasons = new ArrayList<>();
    b.onStateChange(t -> reasons.add(t.reason()));
    fail(b, 5);
    assertThat(reasons).containsExactly("5 consecutive failures (failure_threshold 5)");
  }
}
