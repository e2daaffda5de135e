package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The call path reads the ticker only when a configured feature needs durations. */
class TickerReadsTest {

  private static final int CALLS = 100_000;

  private final AtomicLong reads = new AtomicLong();
  private final Ticker counting = () -> {
    reads.incrementAndGet();
    return 0L;
  };

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("svc").config(config).ticker(counting).eventExecutor(Runnable::run).build();
  }

  /** Calls that succeed, and one in ten that fails (too few to trip). */
  private static void call(CircuitBreaker b) {
    for (int i = 0; i < CALLS; i++) {
      if (i % 10 == 0) {
        b.execute(() -> "down", cause -> "fallback");
        try {
          b.execute(() -> {
            throw new IllegalStateException("down");
          });
        } catch (IllegalStateException expected) {
          // recorded
        }
      } else {
        b.execute(() -> "ok");
      }
    }
  }

  @Test
  void untimedCallsInClosedNeverReadTheTicker() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    long before = reads.get();
    call(b);
    assertThat(reads.get() - before).isZero();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void timedCallsReadItTwiceEachAndTheSampleNowAndThen() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults()); // slow-call detection on
    long before = reads.get();
    call(b);
    // two a call, at its start and end, and the success sample's look about once in 256 calls
    assertThat(reads.get() - before).isBetween(2L * (CALLS + CALLS / 10), 2L * (CALLS + CALLS / 10) + CALLS / 100);
  }

  @Test
  void anObserverMakesUntimedCallsTimed() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    b.addObserver((outcome, nanos, weight) -> { });
    long before = reads.get();
    call(b);
    // two reads a call for its duration, and the sample's look at the clock every 256 calls or so
    assertThat(reads.get() - before).isBetween(2L * (CALLS + CALLS / 10), 2L * (CALLS + CALLS / 10) + CALLS / 100);
  }

  @Test
  void aTransitionListenerLeavesUntimedCallsUntimed() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    b.onStateChange(t -> { });
    long before = reads.get();
    call(b);
    assertThat(reads.get() - before).isZero();
  }

  @Test
  void onceTheLastObserverIsGoneCallsAreUntimedAgain() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    b.addObserver((outcome, nanos, weight) -> { }).close();
    long before = reads.get();
    call(b);
    assertThat(reads.get() - before).isZero();
  }

  @Test
  void onceTheLastCallListenerIsGoneCallsAreUntimedAgain() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    b.onCall(e -> { }).close();
    long before = reads.get();
    call(b);
    assertThat(reads.get() - before).isZero();
  }
}
