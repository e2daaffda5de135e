package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The open time as a function of the attempt, and exactly which openings count as another attempt. */
class OpenTimeBackoffTest {
  private final ManualTime time = new ManualTime();

  /** 30 s, 60 s, then capped at 100 s. */
  private final CircuitBreakerConfig doubling = CircuitBreakerConfig.builder()
      .openTimeoutMultiplier(2.0).maxOpenTimeout(Duration.ofSeconds(100)).build();

  private static Duration open(CircuitBreaker b) {
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    return b.remainingOpenTime();
  }

  /** Waits out the open time and fails the probe: the breaker re-opens. */
  private void failProbe(CircuitBreaker b) {
    time.advance(b.remainingOpenTime());
    fail(b, 1);
  }

  @Test
  void byDefaultEveryOpeningLastsTheOpenTimeout() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(30));
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void eachFailedProbeGrowsTheOpenTimeUpToTheCapAndClosingStartsAfresh() {
    CircuitBreaker b = breaker(time, doubling);
    fail(b, 5);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(30));
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(60));
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(100));
    time.advance(b.remainingOpenTime());
    succeed(b, 3);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    fail(b, 5);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aSlowProbeGrowsItLikeAFailedOne() {
    CircuitBreaker b = breaker(time, doubling.toBuilder().slowCallDurationThreshold(Duration.ofMillis(100)).build());
    fail(b, 5);
    time.advance(b.remainingOpenTime());
    b.execute(Faults.taking(time, Duration.ofMillis(150)));
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void withAProbeWindowOnlyTheReopeningGrowsItNotEachToleratedFailure() {
    CircuitBreaker b = breaker(time, doubling.toBuilder().successThreshold(2).halfOpenProbeWindow(4).build());
    fail(b, 5);
    time.advance(b.remainingOpenTime());
    fail(b, 2); // tolerated
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    fail(b, 1); // the third: re-opens, attempt 2
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void anOperatorsOpenIsAFirstAttemptAndSoIsResetOrAForcedOpenEpisode() {
    CircuitBreaker b = breaker(time, doubling);
    fail(b, 5);
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(60));
    b.transitionTo(CircuitState.OPEN); // from OPEN: changes nothing
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(60));
    b.trip();
    b.transitionTo(CircuitState.OPEN); // from FORCED_OPEN: attempt 1
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(30));
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(60));
    b.reset();
    fail(b, 5);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anOperatorsHalfOpenCountsAsTheFirstAttemptSoItsFailedProbeIsTheSecond() {
    CircuitBreaker b = breaker(time, doubling);
    b.transitionTo(CircuitState.HALF_OPEN);
    fail(b, 1);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aReconfigureWhileOpenKeepsTheTimeAlreadyChosenAndTheNextOpeningUsesTheNewConfig() {
    CircuitBreaker b = breaker(time, doubling);
    fail(b, 5);
    b.reconfigure(doubling.toBuilder().openTimeout(Duration.ofSeconds(10)).build());
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(30));
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aFunctionOfTheUsersGetsTheAttemptsInARow() {
    List<Integer> attempts = new ArrayList<>();
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().openTimeoutFunction(attempt -> {
      attempts.add(attempt);
      return Duration.ofSeconds(7L * attempt);
    }).build());
    fail(b, 5);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(7));
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(14));
    failProbe(b);
    assertThat(open(b)).isEqualTo(Duration.ofSeconds(21));
    assertThat(attempts).containsExactly(1, 2, 3);
  }

  @Test
  void aFunctionThatThrowsOrGivesNoTimeFallsBackToTheOpenTimeout() {
    CircuitBreaker throwing = breaker(time, CircuitBreakerConfig.builder().openTimeout(Duration.ofSeconds(12))
        .openTimeoutFunction(attempt -> {
          throw new IllegalStateException("bug");
        }).build());
    fail(throwing, 5);
    assertThat(open(throwing)).isEqualTo(Duration.ofSeconds(12));
    CircuitBreaker none = breaker(time, CircuitBreakerConfig.builder().openTimeout(Duration.ofSeconds(12))
        .openTimeoutFunction(attempt -> attempt == 1 ? null : Duration.ofSeconds(-1)).build());
    fail(none, 5);
    assertThat(open(none)).isEqualTo(Duration.ofSeconds(12));
    failProbe(none);
    assertThat(open(none)).isEqualTo(Duration.ofSeconds(12));
    CircuitBreaker huge = breaker(time, CircuitBreakerConfig.builder()
        .openTimeoutFunction(attempt -> Duration.ofDays(1000)).build());
    fail(huge, 5);
    assertThat(open(huge)).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void exponentialWithJitterStaysWithinItsShareEitherWay() {
    OpenTimeoutFunction base = OpenTimeoutFunction.exponential(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(60));
    assertThat(base.openTimeout(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(base.openTimeout(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(base.openTimeout(4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(base.withJitter(0.5, () -> 0.0).openTimeout(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(base.withJitter(0.5, () -> 0.5).openTimeout(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(base.withJitter(0.5, () -> 0.75).openTimeout(2)).isEqualTo(Duration.ofSeconds(25));
  }

  @Test
  void theConfigsJitterMovesEachOpeningWithinItsShare() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().openTimeoutJitter(0.2).build());
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      b.reset();
      fail(b, 5);
      Duration d = open(b);
      assertThat(d).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(36));
      seen.add(d);
    }
    assertThat(seen).hasSizeGreaterThan(1);
  }

  @Test
  void jitterAndTheFunctionsArgumentsAreChecked() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().openTimeoutJitter(1.0).build())
        .hasMessage("open_timeout_jitter must be in [0, 1), was 1.0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().openTimeoutJitter(-0.1).build())
        .hasMessage("open_timeout_jitter must be in [0, 1), was -0.1");
    assertThatThrownBy(() -> OpenTimeoutFunction.exponential(Duration.ofSeconds(10), 0.5, Duration.ofSeconds(60)))
        .hasMessage("multiplier must be at least 1.0, was 0.5");
    assertThatThrownBy(() -> OpenTimeoutFunction.fixed(Duration.ofSeconds(1)).withJitter(1.5))
        .hasMessage("jitter must be in [0, 1), was 1.5");
  }
}
