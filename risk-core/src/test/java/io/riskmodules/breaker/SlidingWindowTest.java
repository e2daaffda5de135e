package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
  private final ManualTime time = new ManualTime();

  /** Consecutive failures never trip these breakers, so only rates can. */
  private CircuitBreakerConfig.Builder ratesOnly() {
    return CircuitBreakerConfig.builder().failureThreshold(1_000);
  }

  @Test
  void failureRateTripsOnceTheMinimumNumberOfCallsIsReached() {
    CircuitBreaker b = breaker(time, ratesOnly().build());
    for (int i = 0; i < 4; i++) {
      fail(b, 1);
      succeed(b, 1);
    }
    fail(b, 1);
    assertThat(b.state()).as("9 calls < minimum_number_of_calls 10").isEqualTo(CircuitState.CLOSED);
    succeed(b, 1);
    assertThat(b.state()).as("5 failures of 10 = 50%").isEqualTo(CircuitState.OPEN);
    assertThat(b.status().lastTransitions().get(0).reason()).isEqualTo("failure rate 50.0% >= 50.0% over 10 calls");
  }

  @Test
  void failureRateBelowThresholdDoesNotTrip() {
    CircuitBreaker b = breaker(time, ratesOnly().build());
    for (int i = 0; i < 20; i++) {
      succeed(b, 3);
      fail(b, 2);
    }
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.status().failureRate()).isEqualTo(0.4);
  }

  @Test
  void theCountWindowForgetsCallsOlderThanItsSize() {
    CircuitBreaker b = breaker(time, ratesOnly().countBasedWindow(10).build());
    fail(b, 4);
    succeed(b, 10);
    CircuitBreakerStatus s = b.status();
    assertThat(s.callsInWindow()).isEqualTo(10);
    assertThat(s.failureRate()).isZero();
    fail(b, 4);
    assertThat(b.state()).as("4 of the last 10").isEqualTo(CircuitState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).as("5 of the last 10").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aLargeCountWindowSlidesAcrossWordBoundaries() {
    CircuitBreaker b = breaker(time, ratesOnly().countBasedWindow(130).failureRateThreshold(0.3).build());
    for (int round = 0; round < 7; round++) {
      succeed(b, 15);
      fail(b, 5);
    }
    assertThat(b.status().callsInWindow()).isEqualTo(130);
    assertThat(b.status().failureRate()).isEqualTo(35.0 / 130);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void slowCallRateTripsTheBreaker() {
    CircuitBreaker b = breaker(time, ratesOnly().build());
    for (int i = 0; i < 8; i++) {
      b.execute(Faults.taking(time, Duration.ofMillis(2500)));
    }
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    succeed(b, 1);
    assertThat(b.state()).as("8 slow of 10 = 80%").isEqualTo(CircuitState.OPEN);
    assertThat(b.status().slowCalls()).isEqualTo(8);
    assertThat(b.status().lastTransitions().get(0).reason()).startsWith("slow-call rate 80.0%");
  }

  @Test
  void aCallAtExactlyTheSlowThresholdIsNotSlow() {
    CircuitBreaker b = breaker(time, ratesOnly().build());
    for (int i = 0; i < 20; i++) {
      b.execute(Faults.taking(time, Duration.ofMillis(2000)));
    }
    assertThat(b.status().slowCalls()).isZero();
  }

  @Test
  void slowCallsAreNotMeasuredWhenDetectionIsOff() {
    CircuitBreaker b = breaker(time, ratesOnly().disableSlowCallDetection().build());
    for (int i = 0; i < 20; i++) {
      b.execute(Faults.taking(time, Duration.ofSeconds(10)));
    }
    assertThat(b.status().slowCalls()).isZero();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void rejectedAndIgnoredCallsNeverEnterTheWindow() {
    CircuitBreaker b = breaker(time, ratesOnly().ignoreExceptions(Faults.Business.class).build());
    for (int i = 0; i < 30; i++) {
      try {
        b.execute(() -> {
          throw new Faults.Business();
        });
      } catch (Faults.Business expected) {
        // ignored
      }
    }
    assertThat(b.status().callsInWindow()).isZero();
    fail(b, 10);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    for (int i = 0; i < 30; i++) {
      assertThatThrownBy(() -> b.execute(() -> 1)).isInstanceOf(CallNotPermittedException.class);
    }
    CircuitBreakerStatus s = b.status();
    assertThat(s.callsInWindow()).isEqualTo(10);
    assertThat(s.failureRate()).isEqualTo(1.0);
    assertThat(s.rejectedCalls()).isEqualTo(30);
    assertThat(s.ignoredCalls()).isEqualTo(30);
  }

  @Test
  void theTimeWindowForgetsCallsOlderThanItsSeconds() {
    CircuitBreaker b = breaker(time, ratesOnly().timeBasedWindow(10).build());
    fail(b, 4);
    succeed(b, 6);
    assertThat(b.status().failureRate()).isEqualTo(0.4);
    time.advance(Duration.ofSeconds(10));
    assertThat(b.status().callsInWindow()).isZero();
    succeed(b, 5);
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).as("5 of 10 in the last 10 s").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void theTimeWindowExpiresBucketBySecond() {
    CircuitBreaker b = breaker(time, ratesOnly().timeBasedWindow(3).minimumNumberOfCalls(1).failureRateThreshold(1.0).build());
    succeed(b, 2);
    time.advance(Duration.ofSeconds(1));
    fail(b, 1);
    time.advance(Duration.ofSeconds(1));
    succeed(b, 1);
    assertThat(b.status().callsInWindow()).isEqualTo(4);
    time.advance(Duration.ofSeconds(1));
    assertThat(b.status().callsInWindow()).isEqualTo(2);
    time.advance(Duration.ofSeconds(1));
    assertThat(b.status().callsInWindow()).isEqualTo(1);
  }

  @Test
  void aWindowSmallerThanTheMinimumIsEvaluatedWhenFull() {
    CircuitBreaker b = breaker(time, ratesOnly().countBasedWindow(4).build());
    succeed(b, 2);
    fail(b, 2);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void successesOfCallsPermittedBeforeTheBreakerClosedAgainDoNotCountInTheNewWindow() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .failureThreshold(5).successThreshold(3).minimumNumberOfCalls(4).countBasedWindow(20)
        .failureRateThreshold(0.5).disableSlowCallDetection().build());
    List<Permit> stillRunning = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      stillRunning.add(b.acquirePermit());
    }
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    CircuitBreakerStatus tripped = b.status();
    time.advance(Duration.ofSeconds(30));
    succeed(b, 3); // the probes close it
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    stillRunning.forEach(p -> p.onSuccess(1_000));
    assertThat(b.status().callsInWindow()).as("no call was made in this window").isZero();
    assertThat(b.status().successfulCalls()).as("they still count in the totals").isEqualTo(13);
    fail(b, 4);
    assertThat(b.state()).as("4 of the 4 calls of this window failed").isEqualTo(CircuitState.OPEN);
    assertThat(tripped.failureRate()).isEqualTo(1.0);
  }

  @Test
  void aTrippedBreakerKeepsTheRatesItTrippedOnWhileProbesAndLateCallsEnd() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .failureThreshold(100).successThreshold(3).halfOpenMaxCalls(3).minimumNumberOfCalls(4)
        .countBasedWindow(20).failureRateThreshold(0.5).disableSlowCallDetection().build());
    Permit late = b.acquirePermit();
    succeed(b, 2);
    fail(b, 2); // 2 of 4: trips
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    late.onSuccess(1_000);
    time.advance(Duration.ofSeconds(30));
    succeed(b, 2); // two probes of three
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(b.status().callsInWindow()).isEqualTo(4);
    assertThat(b.status().failureRate()).isEqualTo(0.5);
  }

  @Test
  void aResetLeavesLateSuccessesOutOfTheFreshWindow() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().minimumNumberOfCalls(2)
        .countBasedWindow(10).failureRateThreshold(0.5).disableSlowCallDetection().build());
    List<Permit> stillRunning = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stillRunning.add(b.acquirePermit());
    }
    succeed(b, 6); // settles the window: its successes take the fast path
    b.reset();
    stillRunning.forEach(p -> p.onSuccess(1_000));
    assertThat(b.status().callsInWindow()).isZero();
    fail(b, 2);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }
}
