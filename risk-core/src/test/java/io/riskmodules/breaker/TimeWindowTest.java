package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The time-based window: one-second buckets, expiry, the streak, reconfigure. */
class TimeWindowTest {
  private final ManualTime time = new ManualTime();

  /** Rates never trip these breakers (the minimum is never reached): only the counts are checked. */
  private CircuitBreakerConfig.Builder counting(int seconds) {
    return CircuitBreakerConfig.builder().timeBasedWindow(seconds).minimumNumberOfCalls(1_000)
        .failureThreshold(1_000).slowCallDurationThreshold(Duration.ofMillis(100));
  }

  private static void assertWindow(CircuitBreaker b, long calls, double failureRate, double slowRate) {
    CircuitBreakerStatus s = b.status();
    assertThat(s.callsInWindow()).as("calls in window").isEqualTo(calls);
    assertThat(s.failureRate()).as("failure rate").isEqualTo(failureRate);
    assertThat(s.slowCallRate()).as("slow-call rate").isEqualTo(slowRate);
  }

  private void slowSuccess(CircuitBreaker b) {
    b.execute(Faults.taking(time, Duration.ofMillis(200)));
  }

  private void slowFailure(CircuitBreaker b) {
    try {
      b.execute(() -> {
        time.advance(Duration.ofMillis(200));
        throw new Faults.Boom();
      });
    } catch (Faults.Boom expected) {
      // recorded
    }
  }

  @Test
  void failuresAndSlowCallsLeaveTheWindowWithTheirSecond() {
    CircuitBreaker b = breaker(time, counting(3).build());
    fail(b, 2);                                        // second 0
    assertWindow(b, 2, 1.0, 0.0);
    time.advance(Duration.ofSeconds(1));
    succeed(b, 2);                                     // second 1
    assertWindow(b, 4, 0.5, 0.0);
    time.advance(Duration.ofSeconds(1));
    slowSuccess(b);                                    // ends in second 2
    slowFailure(b);                                    // second 2
    assertWindow(b, 6, 0.5, 2.0 / 6);
    time.advance(Duration.ofMillis(600));              // 3.0 s: second 0 leaves
    assertWindow(b, 4, 0.25, 0.5);
    time.advance(Duration.ofMillis(999));              // 3.999 s: still seconds 1 to 3
    assertWindow(b, 4, 0.25, 0.5);
    time.advance(Duration.ofMillis(1));                // 4.0 s: second 1 leaves
    assertWindow(b, 2, 0.5, 1.0);
    time.advance(Duration.ofSeconds(1));               // 5.0 s: second 2 leaves
    assertWindow(b, 0, 0.0, 0.0);
  }

  @Test
  void aJumpLongerThanTheWindowEmptiesEveryBucketOnce() {
    CircuitBreaker b = breaker(time, counting(4).build());
    for (int second = 0; second < 4; second++) {
      fail(b, 1);
      succeed(b, second);
      time.advance(Duration.ofSeconds(1));
    }
    assertWindow(b, 9, 3.0 / 9, 0.0);                  // seconds 1..4: the failure of second 0 left
    time.advance(Duration.ofSeconds(100));
    assertWindow(b, 0, 0.0, 0.0);
    fail(b, 1);
    succeed(b, 3);
    assertWindow(b, 4, 0.25, 0.0);                     // no stale bucket came back
    time.advance(Duration.ofSeconds(4));               // exactly the window: all of it leaves
    assertWindow(b, 0, 0.0, 0.0);
  }

  @Test
  void aJumpOfOneSecondLessThanTheWindowKeepsTheNewestSecond() {
    CircuitBreaker b = breaker(time, counting(4).build());
    fail(b, 1);
    time.advance(Duration.ofSeconds(3));
    succeed(b, 1);
    assertWindow(b, 2, 0.5, 0.0);
    time.advance(Duration.ofSeconds(3));               // second 6: second 3 is still in (3, 6]
    assertWindow(b, 1, 0.0, 0.0);
  }

  @Test
  void consecutiveFailuresTripTheTimeWindowAndASuccessEndsTheStreak() {
    CircuitBreaker b = breaker(time, counting(2).failureThreshold(3).build());
    fail(b, 2);
    succeed(b, 1);
    fail(b, 2);
    assertThat(b.status().consecutiveFailures()).isEqualTo(2);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.status().lastTransitions().get(0).reason()).isEqualTo("3 consecutive failures (failure_threshold 3)");
  }

  @Test
  void theStreakOutlivesTheSecondsItsFailuresLeave() {
    CircuitBreaker b = breaker(time, counting(2).failureThreshold(3).build());
    fail(b, 2);
    time.advance(Duration.ofSeconds(10));
    assertWindow(b, 0, 0.0, 0.0);
    assertThat(b.status().consecutiveFailures()).isEqualTo(2);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void failureRateOverTheTimeWindowTripsOnceTheMinimumIsReached() {
    CircuitBreaker b = breaker(time, counting(5).minimumNumberOfCalls(4).failureRateThreshold(0.5).build());
    fail(b, 1);
    succeed(b, 1);
    fail(b, 1);
    assertThat(b.state()).as("3 calls < minimum 4").isEqualTo(CircuitState.CLOSED);
    succeed(b, 1);
    assertThat(b.state()).as("2 of 4 failed").isEqualTo(CircuitState.OPEN);
    assertThat(b.status().lastTransitions().get(0).reason()).isEqualTo("failure rate 50.0% >= 50.0% over 4 calls");
  }

  @Test
  void slowCallRateOverTheTimeWindowTrips() {
    CircuitBreaker b = breaker(time, counting(5).minimumNumberOfCalls(4).slowCallRateThreshold(0.5).build());
    slowSuccess(b);
    succeed(b, 2);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    slowSuccess(b);
    assertThat(b.state()).as("2 of 4 slow").isEqualTo(CircuitState.OPEN);
    assertThat(b.status().lastTransitions().get(0).reason()).startsWith("slow-call rate 50.0%");
  }

  @Test
  void reconfiguringThresholdsKeepsTheTimeWindowAndAnotherSizeReplacesIt() {
    CircuitBreaker b = breaker(time, counting(3).build());
    fail(b, 1);
    succeed(b, 1);
    b.reconfigure(b.config().toBuilder().failureRateThreshold(0.9).build());
    assertWindow(b, 2, 0.5, 0.0);
    b.reconfigure(b.config().toBuilder().timeBasedWindow(4).build());
    assertWindow(b, 0, 0.0, 0.0);
    fail(b, 1);
    b.reconfigure(b.config().toBuilder().countBasedWindow(4).build());
    assertWindow(b, 0, 0.0, 0.0);
    assertThat(b.status().failedCalls()).as("lifetime counts stay").isEqualTo(2);
  }
}
