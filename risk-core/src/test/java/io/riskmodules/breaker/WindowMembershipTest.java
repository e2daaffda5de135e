package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defects 1, 5 and 6: a window holds only outcomes of calls that its own CLOSED state
 * permitted, a retired window never changes, and a success is judged whenever it could trip.
 */
class WindowMembershipTest {
  private final ManualTime time = new ManualTime();

  private static CircuitBreakerConfig.Builder ratesOnly() {
    return CircuitBreakerConfig.builder().failureThreshold(1_000).disableSlowCallDetection();
  }

  @Test
  void aSuccessPermittedWhileDisabledIsNotCountedInTheNextWindow() {
    CircuitBreaker b = breaker(time, ratesOnly().build());
    b.disable();
    Permit p = b.acquirePermit();
    b.reset();
    p.onSuccess(0);
    assertThat(b.status().callsInWindow()).isZero();
    assertThat(b.status().successfulCalls()).as("still counted in the totals").isEqualTo(1);
  }

  @Test
  void aProbeThatSucceedsAfterTheBreakerClosedIsNotCountedInTheNewWindow() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1).successThreshold(1)
        .halfOpenMaxCalls(2).build());
    fail(b, 1);
    time.advance(Duration.ofSeconds(30));
    Permit first = b.acquirePermit();
    Permit second = b.acquirePermit();
    first.onSuccess(0);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    second.onSuccess(0);
    assertThat(b.status().callsInWindow()).isZero();
  }

  @Test
  void aLateSuccessFromADiscardedCountWindowIsNotCountedInTheNextOne() {
    CircuitBreaker b = breaker(time, ratesOnly().minimumNumberOfCalls(2).countBasedWindow(2).build());
    Permit p = b.acquirePermit();
    fail(b, 1);
    succeed(b, 1);
    b.trip();
    b.reset();
    p.onSuccess(0);
    fail(b, 1);
    assertThat(b.status().callsInWindow()).isEqualTo(1);
    assertThat(b.status().failureRate()).isEqualTo(1.0);
  }

  @Test
  void aLateSuccessFromADiscardedTimeWindowIsNotCountedInTheNextOne() {
    CircuitBreaker b = breaker(time, ratesOnly().timeBasedWindow(10).build());
    Permit p = b.acquirePermit();
    b.reconfigure(b.config().toBuilder().timeBasedWindow(20).build());
    p.onSuccess(0);
    assertThat(b.status().callsInWindow()).isZero();
  }

  @Test
  void aFailureInFlightAcrossAReconfigureThatReplacedTheTimeWindowDoesNotTripTheBreaker() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1).timeBasedWindow(10).build());
    Permit p = b.acquirePermit();
    b.reconfigure(b.config().toBuilder().timeBasedWindow(20).build());
    p.onFailure(0);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.status().failedCalls()).as("counted in the totals").isEqualTo(1);
  }

  @Test
  void anOpenBreakersTimeWindowKeepsTheCountsItTrippedOn() {
    CircuitBreaker b = breaker(time, ratesOnly().timeBasedWindow(10).minimumNumberOfCalls(2).build());
    Permit late = b.acquirePermit();
    fail(b, 2);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    late.onSuccess(0);
    time.advance(Duration.ofSeconds(20)); // the seconds it tripped on would have expired
    CircuitBreakerStatus s = b.status();
    assertThat(s.state()).isEqualTo(CircuitState.OPEN);
    assertThat(s.callsInWindow()).isEqualTo(2);
    assertThat(s.failureRate()).isEqualTo(1.0);
  }

  @Test
  void aFullCountWindowRejudgesItsRatesOnASuccessAfterAReconfigureLowersTheThreshold() {
    CircuitBreaker b = breaker(time, ratesOnly().countBasedWindow(10).build());
    succeed(b, 6);
    fail(b, 4);
    assertThat(b.state()).as("40% < 50%").isEqualTo(CircuitState.CLOSED);
    b.reconfigure(b.config().toBuilder().failureRateThreshold(0.3).build());
    succeed(b, 1);
    assertThat(b.state()).as("still 40% >= 30%").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void raisingTheMinimumMakesSuccessesCountTowardsItAgain() {
    CircuitBreaker b = breaker(time, ratesOnly().countBasedWindow(10).minimumNumberOfCalls(2)
        .failureRateThreshold(0.6).build());
    succeed(b, 1);
    fail(b, 1);
    assertThat(b.state()).as("50% < 60%").isEqualTo(CircuitState.CLOSED);
    b.reconfigure(b.config().toBuilder().minimumNumberOfCalls(4).failureRateThreshold(0.5).build());
    fail(b, 1);
    assertThat(b.state()).as("3 calls < 4").isEqualTo(CircuitState.CLOSED);
    succeed(b, 1);
    assertThat(b.state()).as("S F F S: 50% over 4 calls").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aTimeWindowRejudgesWhenSecondsExpireEvenOnSuccesses() {
    CircuitBreaker b = breaker(time, ratesOnly().timeBasedWindow(2).minimumNumberOfCalls(4).build());
    succeed(b, 3);
    time.advance(Duration.ofSeconds(1));
    fail(b, 2);
    succeed(b, 1);
    assertThat(b.state()).as("2 of 6").isEqualTo(CircuitState.CLOSED);
    time.advance(Duration.ofSeconds(1));
    succeed(b, 1);
    assertThat(b.state()).as("the first three successes expired: 2 failures of 4").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void consecutiveFailuresCountOnlyFailuresSinceTheLastSuccessInBothWindows() {
    for (CircuitBreakerConfig.Builder c : new CircuitBreakerConfig.Builder[] {
        CircuitBreakerConfig.builder().countBasedWindow(5), CircuitBreakerConfig.builder().timeBasedWindow(5)}) {
      CircuitBreaker b = breaker(time, c.failureThreshold(3).failureRateThreshold(1.0).minimumNumberOfCalls(1_000).build());
      fail(b, 2);
      assertThat(b.status().consecutiveFailures()).isEqualTo(2);
      succeed(b, 1);
      assertThat(b.status().consecutiveFailures()).isZero();
      fail(b, 2);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      b.execute(Faults.taking(time, Duration.ofSeconds(3))); // a slow success also ends the streak
      fail(b, 2);
      assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
      fail(b, 1);
      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    }
  }
}
