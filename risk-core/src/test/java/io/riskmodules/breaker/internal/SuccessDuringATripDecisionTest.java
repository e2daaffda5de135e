package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.SlidingWindowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A judgement that finds a reason to trip stops fast successes, then counts them again: a success
 * that counted itself in between (another thread's, which passed its check just before the stop)
 * comes before the outcome judged, which is placed after it and judged again ("a decision is one
 * step", {@link Window}). Threads make that moment rare; the window's test hook makes it happen
 * on every run, in one thread, so that each step of the second judgement is pinned: the outcome
 * taken back from its first place (its slot or bucket, and its count), placed after the success,
 * the streak and the rates derived again, and the second verdict the one acted on. After it, the
 * window is driven on until the outcome's first place has left it (count window: the ring passed
 * over twice; time window: its second expired), each step checked against a model of the calls.
 */
class SuccessDuringATripDecisionTest {
  /** Calls in the count window; seconds in the time window. */
  private static final int WINDOW = 10;
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong nanos = new AtomicLong();
  private SlidingWindowType type;

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.builder("svc").config(config.build()).ticker(nanos::get)
        .eventExecutor(Runnable::run).build();
  }

  private CircuitBreakerConfig.Builder window(SlidingWindowType type) {
    this.type = type;
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    b = type == SlidingWindowType.COUNT_BASED ? b.countBasedWindow(WINDOW) : b.timeBasedWindow(WINDOW);
    return b.minimumNumberOfCalls(4).failureRateThreshold(0.5).failureThreshold(1_000)
        .disableSlowCallDetection();
  }

  /** The next trip judgement meets one success, counted where another thread's would be. */
  private static void aSuccessEndsDuringTheNextTripDecision(CircuitBreaker breaker) {
    Window window = ((DefaultCircuitBreaker) breaker).windowForTest();
    window.heldForTest = () -> {
      window.heldForTest = null;
      window.lane.increment();
    };
  }

  /** An outcome and the ticker second it ended in. */
  private record Call(char outcome, long second) {}

  /** Every call made, in the window's order. */
  private final List<Call> calls = new ArrayList<>();

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
    calls.add(new Call(outcome, Math.floorDiv(nanos.get(), SECOND)));
  }

  /** The calls the window must hold now, as a string of outcomes. */
  private String inWindow() {
    StringBuilder held = new StringBuilder();
    long now = Math.floorDiv(nanos.get(), SECOND);
    int from = type == SlidingWindowType.COUNT_BASED ? Math.max(0, calls.size() - WINDOW) : 0;
    for (Call c : calls.subList(from, calls.size())) {
      if (type == SlidingWindowType.COUNT_BASED || c.second() > now - WINDOW) {
        held.append(c.outcome());
      }
    }
    return held.toString();
  }

  private void assertWindowHoldsTheLastCalls(CircuitBreaker breaker) {
    CircuitBreakerStatus status = breaker.status();
    String held = inWindow();
    long failures = held.chars().filter(c -> c == 'F').count();
    long slow = held.chars().filter(c -> c == 'W').count();
    assertThat(status.callsInWindow()).as("calls in %s", held).isEqualTo(held.length());
    double calls = Math.max(1, held.length());
    assertThat(status.failureRate()).as("failure rate of %s", held).isEqualTo(failures / calls);
    assertThat(status.slowCallRate()).as("slow-call rate of %s", held).isEqualTo(slow / calls);
    int streak = 0;
    for (int i = this.calls.size() - 1; i >= 0 && this.calls.get(i).outcome() == 'F'; i--) {
      streak++;
    }
    assertThat(status.consecutiveFailures()).as("streak after %s", this.calls).isEqualTo(streak);
  }

  /**
   * Runs {@code pattern}, checking the window after each call; the breaker must stay CLOSED. A
   * {@code '.'} moves the ticker on by a second.
   */
  private void runAndCheck(CircuitBreaker breaker, String pattern) {
    for (char c : pattern.toCharArray()) {
      if (c == '.') {
        nanos.addAndGet(SECOND);
      } else {
        call(breaker, c);
      }
      assertThat(breaker.state()).as("after %s", calls).isEqualTo(CircuitState.CLOSED);
      assertWindowHoldsTheLastCalls(breaker);
    }
  }

  /** Drives the window on until the calls made so far have left it. */
  private void runPastTheFirstCalls(CircuitBreaker breaker, String countPattern) {
    runAndCheck(breaker, type == SlidingWindowType.COUNT_BASED ? countPattern : "S.S.F.S.S.S.SS.S.S.S.F.S.S");
  }

  /** The call just made came after a success another thread counted during its judgement. */
  private void theOtherSuccessCameFirst() {
    Call last = calls.remove(calls.size() - 1);
    expect('S');
    expect(last.outcome());
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aFailureThatWouldTripIsPlacedAfterTheSuccessAndNoLongerTrips(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(window(type));
    runAndCheck(breaker, "SSSFF"); // 40 %: settled, fast successes skip the lock
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'F'); // S S S F F F would be 50 %; S S S F F S F is 3 in 7
    theOtherSuccessCameFirst();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    // the failure's first place was cleared when it was taken back: once that place has left the
    // window, the window still counts exactly the calls in it
    runPastTheFirstCalls(breaker, "SSSFSSSSFSSSSSSSFSSSS");
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aSlowSuccessThatWouldTripIsPlacedAfterTheSuccessAndNoLongerTrips(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(window(type).failureRateThreshold(1.0)
        .slowCallDurationThreshold(Duration.ofMillis(100)).slowCallRateThreshold(0.5));
    runAndCheck(breaker, "SSSWW");
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'W');
    theOtherSuccessCameFirst();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    runPastTheFirstCalls(breaker, "SSSWSSSSWSSSSSSSWSSSS");
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aStreakThatWouldTripIsBrokenByTheSuccess(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(window(type).failureRateThreshold(1.0).failureThreshold(3));
    runAndCheck(breaker, "SSSSFF");
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'F'); // F F F would be three in a row; F F S F is one
    theOtherSuccessCameFirst();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    runPastTheFirstCalls(breaker, "FSFFSSSSSSSSSSFF");
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aFailureThatStillTripsAfterTheSuccessTripsOnTheWindowWithIt(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(window(type));
    runAndCheck(breaker, "FSF"); // below the minimum: every success is judged under the lock
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'F'); // F S F F is 75 %; F S F S F is 60 %: still over 50 %
    theOtherSuccessCameFirst();
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    CircuitBreakerStatus status = breaker.status();
    assertThat(status.callsInWindow()).as("the tripped window counts the success").isEqualTo(5);
    assertThat(status.failureRate()).isEqualTo(0.6);
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aSuccessJudgedUnderTheLockThatWouldTripIsJudgedAgainWithTheOtherSuccess(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(window(type));
    runAndCheck(breaker, "FFS"); // three calls: below the minimum, successes take the lock
    aSuccessEndsDuringTheNextTripDecision(breaker);
    call(breaker, 'S'); // F F S S is 50 % at the minimum; with the other success, 40 % of 5
    expect('S');
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertWindowHoldsTheLastCalls(breaker);
    runPastTheFirstCalls(breaker, "SSFSSSSFSSSS");
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aSuccessJudgedUnderTheLockThatStillTripsTripsWithTheOtherSuccessCounted(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(window(type));
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
