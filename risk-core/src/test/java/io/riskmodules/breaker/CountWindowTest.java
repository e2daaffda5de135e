package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The count-based window: ring wrap, large jumps of successes, slow failures. */
class CountWindowTest {
  private final ManualTime time = new ManualTime();

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
  void theRingWrapsAroundManyTimesAndHoldsExactlyTheLastCalls() {
    int size = 5;
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(size)
        .failureRateThreshold(1.0).failureThreshold(1_000).disableSlowCallDetection().build());
    String pattern = "FSSFSFFSSSSFSFSSFFSSSSSSFSFSFFSSFS"; // never 5 failures among 5 calls: never trips
    Deque<Character> last = new ArrayDeque<>();
    for (char c : pattern.toCharArray()) {
      if (c == 'F') {
        fail(b, 1);
      } else {
        succeed(b, 1);
      }
      last.addLast(c);
      if (last.size() > size) {
        last.removeFirst();
      }
      long failures = last.stream().filter(x -> x == 'F').count();
      CircuitBreakerStatus s = b.status();
      assertThat(s.callsInWindow()).isEqualTo(last.size());
      assertThat(s.failureRate()).as("after %s", last).isEqualTo((double) failures / last.size());
      assertThat(s.state()).isEqualTo(CircuitState.CLOSED);
    }
  }

  @Test
  void aRunOfSuccessesAsLongAsTheWindowClearsEveryFailure() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(70)
        .failureRateThreshold(1.0).failureThreshold(1_000).disableSlowCallDetection().build());
    fail(b, 3);
    succeed(b, 70);
    fail(b, 1);
    CircuitBreakerStatus s = b.status();
    assertThat(s.callsInWindow()).isEqualTo(70);
    assertThat(s.failureRate()).isEqualTo(1.0 / 70);
  }

  @Test
  void aRunOfSuccessesOneShortOfTheWindowKeepsTheLastFailure() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(70)
        .failureRateThreshold(1.0).failureThreshold(1_000).disableSlowCallDetection().build());
    fail(b, 1);
    succeed(b, 68);
    fail(b, 1);
    assertThat(b.status().failureRate()).as("both failures among the last 70").isEqualTo(2.0 / 70);
    succeed(b, 1);
    assertThat(b.status().failureRate()).as("the first one left").isEqualTo(1.0 / 70);
  }

  @Test
  void jumpsAcrossWordBoundariesClearOnlyTheSlotsLeft() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(130)
        .failureRateThreshold(1.0).failureThreshold(1_000).disableSlowCallDetection().build());
    // failures at positions 1, 64, 65, 129, 130; then successes slide them out one region at a time
    fail(b, 1);
    succeed(b, 62);
    fail(b, 2);
    succeed(b, 63);
    fail(b, 2);
    assertThat(b.status().failureRate()).isEqualTo(5.0 / 130);
    succeed(b, 1);   // position 1 leaves
    assertThat(b.status().failureRate()).isEqualTo(4.0 / 130);
    succeed(b, 63);  // 2..64 leave
    assertThat(b.status().failureRate()).isEqualTo(3.0 / 130);
    succeed(b, 1);   // 65 leaves
    assertThat(b.status().failureRate()).isEqualTo(2.0 / 130);
    succeed(b, 64);  // 66..129 leave
    assertThat(b.status().failureRate()).isEqualTo(1.0 / 130);
    succeed(b, 200);
    assertThat(b.status().failureRate()).isZero();
    assertThat(b.status().callsInWindow()).isEqualTo(130);
  }

  @Test
  void aSlowFailureCountsInBothRatesAndLeavesBoth() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(4).minimumNumberOfCalls(4)
        .failureRateThreshold(1.0).slowCallRateThreshold(1.0).failureThreshold(1_000)
        .slowCallDurationThreshold(Duration.ofMillis(100)).build());
    slowFailure(b);
    CircuitBreakerStatus s = b.status();
    assertThat(s.failureRate()).isEqualTo(1.0);
    assertThat(s.slowCallRate()).isEqualTo(1.0);
    assertThat(s.slowCalls()).isEqualTo(1);
    succeed(b, 3);
    assertThat(b.status().slowCallRate()).isEqualTo(0.25);
    succeed(b, 1);
    assertThat(b.status().failureRate()).isZero();
    assertThat(b.status().slowCallRate()).as("the slow failure left the window").isZero();
    assertThat(b.status().slowCalls()).as("lifetime").isEqualTo(1);
  }

  @Test
  void slowFailuresTripOnTheSlowCallRate() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(4).minimumNumberOfCalls(4)
        .failureRateThreshold(1.0).slowCallRateThreshold(0.5).failureThreshold(1_000)
        .slowCallDurationThreshold(Duration.ofMillis(100)).build());
    slowFailure(b);
    succeed(b, 2);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    slowFailure(b);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.status().lastTransitions().get(0).reason()).isEqualTo("slow-call rate 50.0% >= 50.0% over 4 calls");
  }

  @Test
  void aWindowSmallerThanTheMinimumIsEvaluatedOnceFull() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(3).minimumNumberOfCalls(10)
        .failureRateThreshold(0.6).failureThreshold(1_000).disableSlowCallDetection().build());
    fail(b, 1);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).as("2 of 3, the window is full").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aJumpPastTheWholeWindowClearsItsSlowCallsAsWellAsItsFailures() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().countBasedWindow(4)
        .minimumNumberOfCalls(4).failureRateThreshold(1.0).failureThreshold(1_000)
        .slowCallDurationThreshold(Duration.ofMillis(100)).slowCallRateThreshold(1.0).build());
    slowFailure(b);
    b.execute(Faults.taking(time, Duration.ofMillis(200))); // a slow success
    succeed(b, 2);
    assertThat(b.status().slowCallRate()).isEqualTo(0.5);
    succeed(b, 6); // the window is settled: these skip the lock, and the ring has not moved
    fail(b, 1); // the ring moves past all four slots at once
    Deque<Character> last = new ArrayDeque<>(java.util.List.of('S', 'S', 'S', 'F'));
    for (int i = 0; i < 8; i++) { // round the ring twice, one call at a time
      CircuitBreakerStatus s = b.status();
      assertThat(s.callsInWindow()).isEqualTo(4);
      assertThat(s.slowCallRate()).as("after %s", last).isEqualTo(0.0);
      assertThat(s.failureRate()).as("after %s", last)
          .isEqualTo(last.stream().filter(c -> c == 'F').count() / 4.0);
      succeed(b, 1);
      last.removeFirst();
      last.addLast('S');
    }
  }
}
