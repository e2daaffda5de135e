package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue #13 item 4: open for a while, then back to normal operation. */
class TripForTest {
  private final ManualTime time = new ManualTime();

  @Test
  void trippedForTenMinutesRejectsWithTheTimeLeftThenClosesWithAnEmptyWindow() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 3);
    b.tripFor(Duration.ofMinutes(10));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    time.advance(Duration.ofMinutes(4));
    assertThatThrownBy(() -> b.execute(() -> 1))
        .isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
          assertThat(e.state()).isEqualTo(CircuitState.FORCED_OPEN);
          assertThat(e.remainingOpenTime()).isEqualTo(Duration.ofMinutes(6));
          assertThat(e.getMessage()).isEqualTo("Circuit 'svc' is FORCED_OPEN for another 360.0 seconds.");
        });
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofMinutes(6));
    time.advance(Duration.ofMinutes(6));
    assertThat(b.execute(() -> 1)).isEqualTo(1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.status().consecutiveFailures()).as("the window starts empty").isZero();
    assertThat(b.status().callsInWindow()).isEqualTo(1);
  }

  @Test
  void theEndIsSeenByStateAndStatusWithoutTraffic() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.tripFor(Duration.ofSeconds(5));
    time.advance(Duration.ofSeconds(5));
    assertThat(b.status().state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void tripUntilAnInstantUsesTheBreakersClock() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.tripUntil(time.instant().plusSeconds(90));
    time.advance(Duration.ofSeconds(89));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void transitionsArePublishedOnceEachWithReasons() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<StateTransition> seen = new CopyOnWriteArrayList<>();
    b.onStateChange(seen::add);
    b.tripFor(Duration.ofMillis(1500));
    time.advance(Duration.ofSeconds(2));
    b.state();
    b.state();
    assertThat(seen).extracting(StateTransition::to)
        .containsExactly(CircuitState.FORCED_OPEN, CircuitState.CLOSED);
    assertThat(seen.get(0).reason()).isEqualTo("forced open for 1500 ms");
    assertThat(seen.get(1).reason()).isEqualTo("forced open for 1500 ms, time up");
  }

  @Test
  void aSecondTripForOnlyMovesTheEndAndPublishesNothing() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<StateTransition> seen = new CopyOnWriteArrayList<>();
    b.onStateChange(seen::add);
    b.tripFor(Duration.ofSeconds(10));
    b.tripFor(Duration.ofSeconds(60));
    time.advance(Duration.ofSeconds(30));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThat(seen).hasSize(1);
  }

  @Test
  void tripForOnAnIndefinitelyTrippedBreakerGivesItAnEnd() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.trip();
    b.tripFor(Duration.ofSeconds(10));
    time.advance(Duration.ofSeconds(10));
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void tripStaysUntilResetAndResetEndsATimedTripEarly() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.trip();
    time.advance(Duration.ofDays(400));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThat(b.remainingOpenTime()).isZero();
    b.tripFor(Duration.ofHours(1));
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aTimeThatIsNotAheadIsRefused() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    assertThatThrownBy(() -> b.tripFor(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tripFor: duration must be positive, was PT0S");
    assertThatThrownBy(() -> b.tripUntil(Instant.parse("2026-01-14T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not after now");
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }
}
