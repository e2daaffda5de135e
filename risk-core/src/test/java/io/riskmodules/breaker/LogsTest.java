package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.testlogs.RecordedLogs;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** An opening is a WARN; closing, half-opening, reset and operators' requests are INFO; calls log nothing. */
class LogsTest {

  private final ManualTime time = new ManualTime();

  private CircuitBreaker breaker(String name, CircuitBreakerConfig config) {
    return CircuitBreaker.builder(name).config(config).ticker(time).clock(time).eventExecutor(Runnable::run).build();
  }

  @Test
  void openingIsWarnClosingResetAndOperatorsRequestsAreInfoAndCallsLogNothing() {
    String name = "logged-" + System.identityHashCode(this);
    CircuitBreaker b = breaker(name, CircuitBreakerConfig.ofDefaults());
    long mark = RecordedLogs.mark();
    succeed(b, 1_000);
    fail(b, 4);
    assertThat(RecordedLogs.since(mark, name)).as("calls log nothing").isEmpty();
    fail(b, 1);
    for (int i = 0; i < 100; i++) {
      b.execute(() -> "rejected", cause -> "fallback");
    }
    time.advance(Duration.ofSeconds(30));
    succeed(b, 3);
    b.trip();
    b.disable();
    b.transitionTo(CircuitState.OPEN);
    b.reset();
    b.reset(); // from CLOSED: empties the window
    b.reconfigure(CircuitBreakerConfig.builder().failureThreshold(2).build());
    assertThat(RecordedLogs.since(mark, name)).extracting(RecordedLogs.Event::level).containsExactly(
        Level.WARN,  // CLOSED -> OPEN: 5 consecutive failures
        Level.INFO,  // OPEN -> HALF_OPEN
        Level.INFO,  // HALF_OPEN -> CLOSED
        Level.INFO,  // trip
        Level.INFO,  // disable
        Level.INFO,  // transitionTo(OPEN)
        Level.INFO,  // reset
        Level.INFO,  // reset while CLOSED
        Level.INFO); // reconfigure
    assertThat(RecordedLogs.since(mark, name).get(0).message()).contains("opened").contains("5 consecutive failures").contains("was closed");
  }

  @Test
  void aFailedProbeOpeningTheBreakerAgainIsWarn() {
    String name = "reopened-" + System.identityHashCode(this);
    CircuitBreaker b = breaker(name, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    time.advance(Duration.ofSeconds(30));
    long mark = RecordedLogs.mark();
    fail(b, 1);
    assertThat(RecordedLogs.since(mark, name)).extracting(RecordedLogs.Event::level)
        .containsExactly(Level.INFO, Level.WARN); // OPEN -> HALF_OPEN, HALF_OPEN -> OPEN
  }

  @Test
  void aPredicateThatThrowsOnEveryCallIsAWarnOnceThenDebug() {
    String name = "bad-predicate-" + System.identityHashCode(this);
    CircuitBreaker b = breaker(name, CircuitBreakerConfig.builder()
        .recordException(e -> e.getMessage().contains("timeout")).failureThreshold(1_000_000)
        .minimumNumberOfCalls(1_000).build());
    long mark = RecordedLogs.mark();
    for (int i = 0; i < 50; i++) {
      try {
        b.execute(() -> {
          throw new IllegalStateException(); // no message: the predicate throws
        });
      } catch (IllegalStateException expected) {
        // a failure
      }
    }
    assertThat(RecordedLogs.since(mark, name)).extracting(RecordedLogs.Event::level)
        .filteredOn(level -> level != Level.DEBUG).containsExactly(Level.WARN);
  }

  @Test
  void aThrowingResultPredicateIsAWarn() {
    String name = "bad-result-predicate-" + System.identityHashCode(this);
    CircuitBreaker b = breaker(name, CircuitBreakerConfig.builder().recordResult(r -> {
      throw new IllegalStateException("predicate bug");
    }).build());
    long mark = RecordedLogs.mark();
    try {
      b.execute(() -> "value");
    } catch (IllegalStateException expected) {
      // the predicate's exception reaches the caller
    }
    assertThat(RecordedLogs.since(mark, name)).singleElement().satisfies(e -> {
      assertThat(e.level()).isEqualTo(Level.WARN);
      assertThat(e.message()).contains("record-result predicate threw");
    });
  }

  @Test
  void aThrowingObserverIsAWarnAndTheCallStillCounts() {
    String name = "bad-observer-" + System.identityHashCode(this);
    CircuitBreaker b = breaker(name, CircuitBreakerConfig.ofDefaults());
    b.addObserver((outcome, nanos, weight) -> {
      throw new IllegalStateException("observer bug");
    });
    long mark = RecordedLogs.mark();
    fail(b, 1);
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(RecordedLogs.since(mark, name)).singleElement().satisfies(e -> {
      assertThat(e.level()).isEqualTo(Level.WARN);
      assertThat(e.message()).contains("a call observer failed");
    });
  }

  @Test
  void tripOnABreakerTrippedForAWhileIsLoggedThoughNoTransitionIsPublished() {
    String name = "tripped-twice-" + System.identityHashCode(this);
    CircuitBreaker b = breaker(name, CircuitBreakerConfig.ofDefaults());
    b.tripFor(Duration.ofSeconds(10));
    long mark = RecordedLogs.mark();
    b.trip();
    assertThat(RecordedLogs.since(mark, name)).singleElement().satisfies(e -> {
      assertThat(e.level()).isEqualTo(Level.INFO);
      assertThat(e.message()).contains("forced open").contains("FORCED_OPEN for a while already");
    });
    time.advance(Duration.ofSeconds(11));
    assertThat(b.state()).as("open for good now").isEqualTo(CircuitState.FORCED_OPEN);
  }

  @Test
  void aSchedulerThatRefusesCallDeadlinesIsAWarnAndTheCallsRunWithoutThem() {
    String name = "no-deadlines-" + System.identityHashCode(this);
    java.util.concurrent.ScheduledExecutorService shutDown = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    shutDown.shutdown(); // refuses every task; it never started a thread
    CircuitBreaker b = CircuitBreaker.builder(name).config(CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(100)).build())
        .ticker(time).clock(time).scheduler(shutDown).eventExecutor(Runnable::run).build();
    long mark = RecordedLogs.mark();
    assertThat(b.execute(Faults.taking(time, Duration.ofMillis(250)))).isEqualTo("ok");
    assertThat(b.status().successfulCalls()).as("no deadline fired").isEqualTo(1);
    assertThat(RecordedLogs.since(mark, name)).singleElement().satisfies(e -> {
      assertThat(e.level()).isEqualTo(Level.WARN);
      assertThat(e.message()).contains("call timeout work failed");
    });
  }
}
