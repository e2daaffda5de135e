package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue #13 item 2: shadow mode records and publishes everything, never rejects. */
class MetricsOnlyTest {
  private final ManualTime time = new ManualTime();
  private final List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
  private final List<StateTransition> transitions = new CopyOnWriteArrayList<>();

  private CircuitBreaker shadow(CircuitBreakerConfig config) {
    CircuitBreaker b = breaker(time, config);
    b.transitionTo(CircuitState.METRICS_ONLY);
    b.onEvent(e -> {
      if (!(e instanceof CallEvent)) {
        events.add(e);
      }
    });
    b.onStateChange(transitions::add);
    return b;
  }

  private List<WouldHaveOpened> wouldHaveOpened() {
    return events.stream().filter(WouldHaveOpened.class::isInstance).map(WouldHaveOpened.class::cast).toList();
  }

  @Test
  void aDownstreamThatAlwaysFailsIsCalledEveryTimeAndCountedEveryTime() {
    CircuitBreaker b = shadow(CircuitBreakerConfig.ofDefaults());
    int[] ran = new int[1];
    for (int i = 0; i < 100; i++) {
      try {
        b.execute(() -> {
          ran[0]++;
          throw new Faults.Boom();
        });
      } catch (Faults.Boom expected) {
        // the caller gets the failure, never a rejection
      }
    }
    assertThat(ran[0]).isEqualTo(100);
    assertThat(b.state()).isEqualTo(CircuitState.METRICS_ONLY);
    CircuitBreakerStatus s = b.status();
    assertThat(s.failedCalls()).isEqualTo(100);
    assertThat(s.rejectedCalls()).isZero();
    assertThat(s.totalCalls()).isEqualTo(100);
  }

  @Test
  void whereClosedWouldHaveOpenedItPublishesOneEventAndStartsANewWindow() {
    CircuitBreaker b = shadow(CircuitBreakerConfig.ofDefaults());
    fail(b, 4);
    assertThat(wouldHaveOpened()).isEmpty();
    fail(b, 1);
    assertThat(wouldHaveOpened()).singleElement().satisfies(w -> {
      assertThat(w.breakerName()).isEqualTo("svc");
      assertThat(w.reason()).isEqualTo("5 consecutive failures (failure_threshold 5)");
      assertThat(w.threshold()).isInstanceOf(ThresholdExceeded.ConsecutiveFailures.class);
      assertThat(w.failureRate()).isEqualTo(1.0);
      assertThat(w.callsInWindow()).isEqualTo(5);
      assertThat(w.epochMillis()).isEqualTo(time.millis());
    });
    assertThat(b.status().callsInWindow()).as("a new window").isZero();
    assertThat(b.status().consecutiveFailures()).isZero();
    fail(b, 4);
    assertThat(wouldHaveOpened()).hasSize(1);
    fail(b, 1);
    assertThat(wouldHaveOpened()).hasSize(2);
    assertThat(b.state()).isEqualTo(CircuitState.METRICS_ONLY);
  }

  @Test
  void aFailureRateTripIsReportedWithTheRateItWouldHaveOpenedOn() {
    CircuitBreaker b = shadow(CircuitBreakerConfig.builder().countBasedWindow(10).build());
    for (int i = 0; i < 5; i++) {
      succeed(b, 1);
      fail(b, 1);
    }
    assertThat(wouldHaveOpened()).singleElement().satisfies(w -> {
      assertThat(w.reason()).isEqualTo("failure rate 50.0% >= 50.0% over 10 calls");
      assertThat(w.failureRate()).isEqualTo(0.5);
      assertThat(w.slowCallRate()).isZero();
    });
  }

  @Test
  void noTransitionIsPublishedForAPreventedTripAndStateListenersSeeOnlyTransitions() {
    CircuitBreaker b = shadow(CircuitBreakerConfig.ofDefaults());
    List<ThresholdExceeded> thresholds = new CopyOnWriteArrayList<>();
    b.onThresholdExceeded(thresholds::add);
    fail(b, 15);
    assertThat(wouldHaveOpened()).hasSize(3);
    assertThat(transitions).isEmpty();
    assertThat(thresholds).as("typed thresholds come inside WouldHaveOpened only").isEmpty();
    assertThat(b.status().lastTransitions()).extracting(StateTransition::to).containsExactly(CircuitState.METRICS_ONLY);
  }

  @Test
  void anOperatorLeavesItAndClosedStartsWithAnEmptyWindow() {
    CircuitBreaker b = shadow(CircuitBreakerConfig.ofDefaults());
    fail(b, 4);
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(transitions).extracting(StateTransition::to).containsExactly(CircuitState.CLOSED);
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aReconfigureKeepsShadowModeAndTheWindow() {
    CircuitBreaker b = shadow(CircuitBreakerConfig.ofDefaults());
    fail(b, 3);
    b.reconfigure(CircuitBreakerConfig.builder().failureThreshold(4).build());
    assertThat(b.state()).isEqualTo(CircuitState.METRICS_ONLY);
    assertThat(b.status().consecutiveFailures()).isEqualTo(3);
    fail(b, 1);
    assertThat(wouldHaveOpened()).singleElement()
        .extracting(WouldHaveOpened::reason).isEqualTo("4 consecutive failures (failure_threshold 4)");
  }

  @Test
  void aLateFailureOfACallFromBeforeAReconfigureThatReplacedTheWindowChangesNothing() {
    CircuitBreaker b = shadow(CircuitBreakerConfig.ofDefaults());
    fail(b, 4);
    Permit late = b.acquirePermit();
    b.reconfigure(CircuitBreakerConfig.builder().countBasedWindow(20).build()); // another window size: a new window
    late.onFailure(1_000); // the fifth in a row in the window it was permitted in, which is gone
    assertThat(wouldHaveOpened()).isEmpty();
    assertThat(b.status().failedCalls()).isEqualTo(5);
    assertThat(b.status().callsInWindow()).isZero();
  }

  @Test
  void askingForShadowModeTwicePublishesOnce() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.onStateChange(transitions::add);
    b.transitionTo(CircuitState.METRICS_ONLY);
    b.transitionTo(CircuitState.METRICS_ONLY);
    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.from()).isEqualTo(CircuitState.CLOSED);
      assertThat(t.reason()).isEqualTo("metrics only");
    });
  }

  @Test
  void callsArePermittedInEveryForm() throws Exception {
    CircuitBreaker b = shadow(CircuitBreakerConfig.builder().failureThreshold(1).build());
    fail(b, 3);
    assertThat(b.call(() -> 1)).isEqualTo(1);
    assertThat(b.executeAsync(() -> java.util.concurrent.CompletableFuture.completedFuture(2))
        .toCompletableFuture().join()).isEqualTo(2);
    assertThat(b.tryAcquirePermit()).isPresent();
    assertThat(CircuitState.METRICS_ONLY.permitsCalls()).isTrue();
    assertThat(CircuitState.METRICS_ONLY.value()).isEqualTo("metrics_only");
  }
}
