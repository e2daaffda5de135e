package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each difference the README's "Coming from Resilience4j or Failsafe" section states, as our
 * breaker behaves. (Resilience4j's side was checked against resilience4j-circuitbreaker 2.4.0.)
 */
class MigrationDifferencesTest {
  private final ManualTime time = new ManualTime();

  @Test
  void halfOpenMaxCallsBoundsProbesInFlightNotProbesPerEpisode() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().halfOpenMaxCalls(1).successThreshold(3).build());
    fail(b, 5);
    time.advance(Duration.ofSeconds(30));
    succeed(b, 2); // two probes one after the other, with one permit: both ran
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void ratesAreFractionsAndAPercentIsRefused() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(50).build())
        .hasMessage("failure_rate_threshold must be in (0, 1], was 50.0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slowCallRateThreshold(100).build())
        .hasMessage("slow_call_rate_threshold must be in (0, 1], was 100.0");
  }

  @Test
  void theConsecutiveFailureTripIsAlwaysOnBelowTheMinimumNumberOfCallsToo() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().minimumNumberOfCalls(100).build());
    fail(b, 5);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    CircuitBreaker ratesOnly = breaker(time, CircuitBreakerConfig.builder().minimumNumberOfCalls(100)
        .failureThreshold(Integer.MAX_VALUE).build());
    fail(ratesOnly, 50);
    assertThat(ratesOnly.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void recordExceptionPredicateAndRecordExceptionTypesMustBothMatch() {
    CircuitBreakerConfig c = CircuitBreakerConfig.builder()
        .recordExceptions(IOException.class)
        .recordException(e -> String.valueOf(e.getMessage()).contains("timeout"))
        .build();
    assertThat(c.isRecorded(new IOException("read timeout"))).isTrue();
    assertThat(c.isRecorded(new IOException("connection reset"))).isFalse(); // R4j: true (either)
    assertThat(c.isRecorded(new IllegalStateException("timeout"))).isFalse(); // R4j: true (either)
  }

  @Test
  void anErrorThrownByTheCallIsAFailureAndSkipsTheFallback() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    assertThatThrownBy(() -> b.execute(() -> {
      throw new AssertionError("bug");
    }, cause -> "fallback")).isInstanceOf(AssertionError.class);
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void listenersRunOnTheEventExecutorNotOnTheCallersThread() {
    List<Runnable> queued = new ArrayList<>();
    CircuitBreaker b = CircuitBreaker.builder("svc").ticker(time).clock(time).eventExecutor(queued::add).build();
    List<CircuitState> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.to()));
    fail(b, 5);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(seen).isEmpty(); // the caller only queued it
    queued.forEach(Runnable::run);
    assertThat(seen).containsExactly(CircuitState.OPEN);
  }

  @Test
  void aDisabledBreakerPublishesCallEventsAndCountsItsCalls() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.disable();
    List<CallOutcome> calls = new ArrayList<>();
    b.onCall(e -> calls.add(e.outcome()));
    succeed(b, 1);
    fail(b, 10);
    assertThat(calls).hasSize(11);
    assertThat(b.status().totalCalls()).isEqualTo(11);
    assertThat(b.status().callsInWindow()).isZero();
    assertThat(b.state()).isEqualTo(CircuitState.DISABLED);
  }

  @Test
  void transitionToAcceptsAnyStateFromAnyState() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    b.transitionTo(CircuitState.HALF_OPEN); // R4j: IllegalStateTransitionException from CLOSED
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    b.trip();
    b.transitionTo(CircuitState.HALF_OPEN);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    b.transitionTo(CircuitState.DISABLED);
    b.transitionTo(CircuitState.OPEN);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void readingTheStateOfAnOpenBreakerWhoseTimeIsUpMovesItToHalfOpen() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<String> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.from() + ">" + t.to()));
    fail(b, 5);
    time.advance(Duration.ofSeconds(30));
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN); // R4j's getState(): still OPEN
    assertThat(seen).containsExactly("CLOSED>OPEN", "OPEN>HALF_OPEN");
  }

  @Test
  void aReconfigureThatResizesTheWindowStartsItEmptyAndOneThatKeepsItsSizeKeepsIt() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 4);
    b.reconfigure(CircuitBreakerConfig.builder().failureThreshold(6).build()); // same window
    assertThat(b.status().callsInWindow()).isEqualTo(4);
    assertThat(b.status().consecutiveFailures()).isEqualTo(4);
    b.reconfigure(CircuitBreakerConfig.builder().failureThreshold(6).countBasedWindow(50).build());
    assertThat(b.status().callsInWindow()).isZero();
    assertThat(b.status().consecutiveFailures()).isZero();
    fail(b, 5);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED); // the streak started again
  }

  @Test
  void aTimeWindowHoldsACallForBetweenNMinusOneAndNSecondsInWholeSecondBuckets() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().timeBasedWindow(2).build());
    time.advance(Duration.ofMillis(900));
    succeed(b, 1); // in second 0, late
    time.advance(Duration.ofMillis(1099)); // t = 1.999 s
    assertThat(b.status().callsInWindow()).isEqualTo(1);
    time.advance(Duration.ofMillis(1)); // t = 2.000 s: second 0 leaves, 1.1 s after the call
    assertThat(b.status().callsInWindow()).isZero();
  }

  @Test
  void checkedExceptionsOfDecoratedCallsReachTheCallerUnwrapped() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    assertThatThrownBy(() -> b.decorateCheckedSupplier(() -> {
      throw new IOException("down");
    }).get()).isInstanceOf(IOException.class).isNotInstanceOf(UncheckedIOException.class);
  }
}
