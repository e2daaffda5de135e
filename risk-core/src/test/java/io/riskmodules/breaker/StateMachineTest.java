package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StateMachineTest {
  private final ManualTime time = new ManualTime();

  @Test
  void fiveConsecutiveFailuresTripTheRfcDefaultBreaker() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aSuccessResetsTheConsecutiveFailures() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureRateThreshold(1.0).build());
    fail(b, 4);
    succeed(b, 1);
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.status().consecutiveFailures()).isEqualTo(4);
  }

  @Test
  void openRejectsWithNameStateAndRemainingTimeAndNoStackTrace() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    time.advance(Duration.ofSeconds(12));
    AtomicInteger ran = new AtomicInteger();
    assertThatThrownBy(() -> b.execute(ran::incrementAndGet))
        .isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
          assertThat(e.breakerName()).isEqualTo("svc");
          assertThat(e.state()).isEqualTo(CircuitState.OPEN);
          assertThat(e.remainingOpenTime()).isEqualTo(Duration.ofSeconds(18));
          assertThat(e.getStackTrace()).isEmpty();
          assertThat(e.getMessage()).isEqualTo("Circuit 'svc' is OPEN. Retry after 18.0 seconds.");
        });
    assertThat(ran).hasValue(0);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(18));
  }

  @Test
  void rejectionCarriesAStackTraceWhenConfigured() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().writableStackTrace(true).build());
    b.trip();
    assertThatThrownBy(() -> b.execute(() -> 1))
        .isInstanceOfSatisfying(CallNotPermittedException.class, e -> assertThat(e.getStackTrace()).isNotEmpty());
  }

  @Test
  void theFirstRequestAfterTheOpenTimeoutMovesItHalfOpenAndIsAProbe() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    time.advance(Duration.ofSeconds(29));
    assertThatThrownBy(() -> b.execute(() -> 1)).isInstanceOf(CallNotPermittedException.class);
    time.advance(Duration.ofSeconds(1));
    assertThat(b.execute(() -> 1)).isEqualTo(1);
    assertThat(b.status().state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void threeGoodProbesCloseIt() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    time.advance(Duration.ofSeconds(30));
    succeed(b, 2);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aFailedProbeOpensItAgainForAnotherFullTimeout() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    time.advance(Duration.ofSeconds(30));
    succeed(b, 2);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void afterClosingTheWindowStartsEmpty() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    time.advance(Duration.ofSeconds(30));
    succeed(b, 3);
    assertThat(b.status().callsInWindow()).isZero();
    assertThat(b.status().consecutiveFailures()).isZero();
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void openTimeGrowsOnConsecutiveTripsUpToTheCapAndResetsWhenItCloses() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .openTimeout(Duration.ofSeconds(10)).openTimeoutMultiplier(2.0).maxOpenTimeout(Duration.ofSeconds(35)).build());
    fail(b, 5);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(10));
    long[] expected = {20, 35, 35};
    for (long seconds : expected) {
      time.advance(b.remainingOpenTime());
      fail(b, 1);
      assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(seconds));
    }
    time.advance(b.remainingOpenTime());
    succeed(b, 3);
    fail(b, 5);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void forcedOpenRejectsUntilResetWhateverTheTime() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.trip();
    time.advance(Duration.ofDays(1));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThatThrownBy(() -> b.execute(() -> 1))
        .isInstanceOfSatisfying(CallNotPermittedException.class,
            e -> assertThat(e.getMessage()).contains("FORCED_OPEN"));
    b.reset();
    assertThat(b.execute(() -> 1)).isEqualTo(1);
  }

  @Test
  void disabledPermitsEverythingAndNeverTrips() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.disable();
    fail(b, 50);
    assertThat(b.state()).isEqualTo(CircuitState.DISABLED);
    assertThat(b.status().failedCalls()).isEqualTo(50);
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void explicitTransitionsReachEveryState() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    for (CircuitState target : new CircuitState[] {CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.DISABLED,
        CircuitState.FORCED_OPEN, CircuitState.CLOSED}) {
      b.transitionTo(target);
      assertThat(b.status().state()).isEqualTo(target);
    }
    assertThat(b.status().lastTransitions()).extracting(StateTransition::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void resetFromOpenClearsCountsOfTheWindowButNotTheLifetimeCounts() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    b.reset();
    CircuitBreakerStatus s = b.status();
    assertThat(s.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(s.callsInWindow()).isZero();
    assertThat(s.failedCalls()).isEqualTo(5);
  }
}
