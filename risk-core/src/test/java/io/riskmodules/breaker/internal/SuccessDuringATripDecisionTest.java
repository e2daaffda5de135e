package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A judgement that finds a reason to trip stops fast successes, then counts them again: a success
 * that counted itself in between (another thread's, which passed its check just before the stop)
 * comes before the outcome judged, which is placed after it and judged again ("a decision is one
 * step", {@link Window}). Threads make that moment rare; the window's test hook makes it happen
 * on every run, in one thread, so that each step of the second judgement is pinned: the outcome
 * taken back from its first place (its bit and its count), placed after the success, the streak
 * and the rates derived again, and the second verdict the one acted on.
 */
class SuccessDuringATripDecisionTest {
  private static final int WINDOW = 10;
  private final AtomicLong nanos = new AtomicLong();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.builder("svc").config(config.build()).ticker(nanos::get)
        .eventExecutor(Runnable::run).build();
  }

  private static CircuitBreakerConfig.Builder countWindow() {
    return CircuitBreakerConfig.builder().countBasedWindow(WINDOW).minimumNumberOfCalls(4)
        .failureRateThreshold(0.5).failureThreshold(1_000).disableSlowCallDetection();
  }

  /** The next trip judgement meets one success, counted where another thread's would be. */
  private static void aSuccessEndsDuringTheNextTripDecision(CircuitBreaker breaker) {
    Window window = ((DefaultCircuitBreaker) breaker).windowForTest();
    window.heldForTest = () -> {
      window.heldForTest = null;
      window.fast.increment();
    };
  }

  /** Calls made, in the window's order, and what the window must hold after each. */
  private final Deque<Character> calls = new ArrayDeque<>();

  private void call(CircuitBreaker breaker, char outcome) {
    switch (outcome) {
      case 'S' -> breaker.execute(() -> "ok");
      case 'W' -> breaker.execute(() -> { // a slow success
        nanos.addAndGet(Duration.ofMillis(300).toNanos());
        return "ok";
      });
      default -> {
        try {
          breaker.execute(() -> {
            throw new IllegalStateException("boom");
          });
        } catch (IllegalStateException expected) {
          // recorded
        }
      }
    }
    expect(outcome);
  }

  private void expect(char outcome) {
    calls.addLast(outcome);
    if (calls.size() > WINDOW) {
      calls.removeFirst();
    }
  }

  private void assertWindowHoldsTheLastCalls(CircuitBreaker breaker) {
    CircuitBreakerStatus status = breaker.status();
    long failures = calls.stream().filter(c -> c == 'F').count();
    long slow = calls.stream().filter(c -> c == 'W').count();
    assertThat(status.callsInWindow()).as("calls in %s", calls).isEqualTo(calls.size());
    assertThat(status.failureRate()).as("failure rate of %s", calls).isEqualTo((double) failures / calls.size());
    assertThat(status.slowCallRate()).as("slow-call rate of %s", calls).isEqualTo((double) slow / calls.size());
    int streak = 0;
    for (var it = calls.descendingIterator(); it.hasNext() && it.next() == 'F'; ) {
      streak++;
    }
    assertThat(status.consecutiveFailures()).as("streak of %s", calls).isEqualTo(streak);
  }

  /** Runs {@code pattern}, checking the window after each call; the breaker must stay CLOSED. */
  private void runAndCheck(CircuitBreaker breaker, String pattern) {
    for (char c : pattern.toCharArray()) {
      call(breaker, c);
      assertThat(breaker.state()).as("after %s", calls).isEqualTo(CircuitState.CLOSED);
      assertWindowHoldsTheLastCalls(breaker);
    }
  }

  @Test
  void aFailureThatWouldTripIsPlacedAfterTheSuccessAndNoLongerTrips() {
    CircuitBreaker breaker = breaker(countWindow());
    runAndCheck(breaker, "SSSFF"); // 40 %: settled, fast successes skip the lock
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'F'); // S S S F F F would be 50 %; S S S F F S F is 3 in 7
    calls.removeLast();
    expect('S');
    expect('F');
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    // the failure's first slot was cleared when it was taken back: the ring, passed over twice
    // more, still counts exactly the calls in it
    runAndCheck(breaker, "SSSFSSSSFSSSSSSSFSSSS");
  }

  @Test
  void aSlowSuccessThatWouldTripIsPlacedAfterTheSuccessAndNoLongerTrips() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countBasedWindow(WINDOW)
        .minimumNumberOfCalls(4).failureRateThreshold(1.0).failureThreshold(1_000)
        .slowCallDurationThreshold(Duration.ofMillis(100)).slowCallRateThreshold(0.5));
    runAndCheck(breaker, "SSSWW");
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'W');
    calls.removeLast();
    expect('S');
    expect('W');
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    runAndCheck(breaker, "SSSWSSSSWSSSSSSSWSSSS");
  }

  @Test
  void aStreakThatWouldTripIsBrokenByTheSuccess() {
    CircuitBreaker breaker = breaker(countWindow().failureRateThreshold(1.0).failureThreshold(3));
    runAndCheck(breaker, "SSSSFF");
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'F'); // F F F would be three in a row; F F S F is one
    calls.removeLast();
    expect('S');
    expect('F');
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    runAndCheck(breaker, "FSFFSSSSSSSSSSFF");
  }

  @Test
  void aFailureThatStillTripsAfterTheSuccessTripsOnTheWindowWithIt() {
    CircuitBreaker breaker = breaker(countWindow());
    runAndCheck(breaker, "FSF"); // below the minimum: every success is judged under the lock
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'F'); // F S F F is 75 %; F S F S F is 60 %: still over 50 %
    calls.removeLast();
    expect('S');
    expect('F');
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    CircuitBreakerStatus status = breaker.status();
    assertThat(status.callsInWindow()).as("the tripped window counts the success").isEqualTo(5);
    assertThat(status.failureRate()).isEqualTo(0.6);
  }

  @Test
  void aSuccessJudgedUnderTheLockThatWouldTripIsJudgedAgainWithTheOtherSuccess() {
    CircuitBreaker breaker = breaker(countWindow());
    runAndCheck(breaker, "FFS"); // three calls: below the minimum, successes take the lock
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'S'); // F F S S is 50 % at the minimum; with the other success, 40 % of 5
    expect('S');
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    runAndCheck(breaker, "SSFSSSSFSSSS");
  }

  @Test
  void aSuccessJudgedUnderTheLockThatStillTripsTripsWithTheOtherSuccessCounted() {
    CircuitBreaker breaker = breaker(countWindow());
    runAndCheck(breaker, "FFF"); // below the minimum
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'S'); // F F F S is 75 %; with the other success, 60 % of 5: still trips
    expect('S');
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    CircuitBreakerStatus status = breaker.status();
    assertThat(status.callsInWindow()).isEqualTo(5);
    assertThat(status.failureRate()).isEqualTo(0.6);
  }
}
