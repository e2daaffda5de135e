package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10, defect 8: asking for the state the breaker is already in publishes nothing. */
class NoOpRequestsTest {
  private final ManualTime time = new ManualTime();
  private final CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(2).build());
  private final List<StateTransition> published = new ArrayList<>();

  NoOpRequestsTest() {
    b.onStateChange(published::add);
  }

  @Test
  void tenTripsOfAForcedOpenBreakerKeepTheRealHistory() {
    fail(b, 2);
    time.advance(Duration.ofSeconds(30));
    b.state(); // HALF_OPEN
    b.trip();
    List<StateTransition> before = b.status().lastTransitions();
    for (int i = 0; i < 10; i++) {
      b.trip();
    }
    assertThat(b.status().lastTransitions()).isEqualTo(before);
    assertThat(published).extracting(StateTransition::to)
        .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.FORCED_OPEN);
  }

  @Test
  void disableWhenDisabledPublishesNothing() {
    b.disable();
    b.disable();
    assertThat(published).extracting(StateTransition::to).containsExactly(CircuitState.DISABLED);
  }

  @Test
  void transitionToTheCurrentStatePublishesNothing() {
    for (CircuitState target : CircuitState.values()) {
      b.transitionTo(target);
      int seen = published.size();
      b.transitionTo(target);
      assertThat(published).as("second transitionTo(%s)", target).hasSize(seen);
      assertThat(published).noneMatch(t -> t.from() == t.to());
    }
  }

  @Test
  void transitionToOpenWhenOpenKeepsTheOpenTime() {
    fail(b, 2);
    time.advance(Duration.ofSeconds(20));
    b.transitionTo(CircuitState.OPEN);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void resetWhenClosedEmptiesTheWindowAndPublishesNothing() {
    fail(b, 1);
    succeed(b, 3);
    b.reset();
    assertThat(published).isEmpty();
    assertThat(b.status().callsInWindow()).isZero();
    assertThat(b.status().lastTransitions()).isEmpty();
    fail(b, 1);
    assertThat(b.state()).as("one failure since the reset").isEqualTo(CircuitState.CLOSED);
  }
}
