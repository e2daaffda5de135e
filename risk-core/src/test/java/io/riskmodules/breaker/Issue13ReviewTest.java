package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Regressions found by the adversarial review of issue #13's features, one per defect. */
class Issue13ReviewTest {
  private final ScheduledTime time = new ScheduledTime();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("svc").config(config).ticker(time).clock(time)
        .scheduler(time.scheduler()).eventExecutor(Runnable::run).build();
  }

  @Test
  void tripAfterTripForKeepsTheBreakerOpenUntilReset() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    b.onStateChange(transitions::add);
    b.tripFor(Duration.ofMinutes(1));
    b.trip(); // the operator now wants it open for good: "FORCED_OPEN (trip()) stays until reset()"
    time.advance(Duration.ofMinutes(5));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThat(b.remainingOpenTime()).isZero();
    assertThat(transitions).as("trip() on a FORCED_OPEN breaker publishes nothing").hasSize(1);
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void tripAfterTripForKeepsTheBreakerOpenWithAutomaticTransitionsToo() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().automaticTransitionFromOpenToHalfOpen(true).build());
    b.tripFor(Duration.ofMinutes(1));
    b.trip();
    time.advance(Duration.ofMinutes(5));
    assertThat(time.pending()).isZero();
    assertThat(b.status().state()).isEqualTo(CircuitState.FORCED_OPEN);
  }
}
