package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Regressions found by the adversarial review of issue #13's features, one per defect. */
class Issue13ReviewTest {
  private final ScheduledTime time = new ScheduledTime();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("svc").config(config).ticker(time).clock(time)
        .scheduler(time.scheduler()).eventExecutor(Runnable::run).build();
  }

  @Test
  void tripAfterTripForKeepsTheBreakerOpenUntilReset() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    b.onStateChange(transitions::add);
    b.tripFor(Duration.ofMinutes(1));
    b.trip(); // the operator now wants it open for good: "FORCED_OPEN (trip()) stays until reset()"
    time.advance(Duration.ofMinutes(5));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThat(b.remainingOpenTime()).isZero();
    assertThat(transitions).as("trip() on a FORCED_OPEN breaker publishes nothing").hasSize(1);
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void tripAfterTripForKeepsTheBreakerOpenWithAutomaticTransitionsToo() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().automaticTransitionFromOpenToHalfOpen(true).build());
    b.tripFor(Duration.ofMinutes(1));
    b.trip();
    time.advance(Duration.ofMinutes(5));
    assertThat(time.pending()).isZero();
    assertThat(b.status().state()).isEqualTo(CircuitState.FORCED_OPEN);
  }

  /** Never trips (METRICS_ONLY), so that every trial's call is permitted and recorded. */
  private CircuitBreaker shadow(CircuitBreakerConfig config, List<CallEvent> calls) {
    CircuitBreaker b = breaker(config);
    b.transitionTo(CircuitState.METRICS_ONLY);
    b.onCall(calls::add);
    return b;
  }

  private static final int TRIALS = 3_000;

  @Test
  void anAsyncOutcomeAndItsDeadlineAtTheSameInstantAreCountedExactlyOnce() throws Exception {
    List<CallEvent> calls = new CopyOnWriteArrayList<>();
    CircuitBreaker b = shadow(CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(100)).build(), calls);
    CyclicBarrier go = new CyclicBarrier(2);
    ExecutorService timer = Executors.newSingleThreadExecutor();
    long values = 0;
    long timeouts = 0;
    try {
      for (int i = 0; i < TRIALS; i++) {
        CompletableFuture<String> downstream = new CompletableFuture<>();
        CompletionStage<String> stage = b.executeAsync(() -> downstream);
        Future<?> deadline = timer.submit(() -> {
          go.await();
          time.advance(Duration.ofMillis(100)); // exactly the deadline
          return null;
        });
        go.await();
        downstream.complete("ok");
        deadline.get(10, TimeUnit.SECONDS);
        try {
          assertThat(stage.toCompletableFuture().join()).isEqualTo("ok");
          values++;
        } catch (CompletionException e) {
          assertThat(e).hasCauseInstanceOf(TimeoutException.class);
          timeouts++;
        }
      }
    } finally {
      timer.shutdownNow();
    }
    CircuitBreakerStatus s = b.status();
    assertThat(s.successfulCalls()).as("the winners that returned").isEqualTo(values);
    assertThat(s.failedCalls()).as("the winners that timed out").isEqualTo(timeouts);
    assertThat(s.totalCalls()).isEqualTo(TRIALS);
    assertThat(calls).hasSize(TRIALS);
    assertThat(calls.stream().filter(e -> e.outcome() == CallOutcome.FAILURE)).hasSize((int) timeouts);
    assertThat(time.pending()).as("no deadline task left with no call in flight").isZero();
  }

  @Test
  void aSyncOutcomeAndItsInterruptingDeadlineAtTheSameInstantAreCountedOnceAndLeaveNoInterrupt()
      throws Exception {
    List<CallEvent> calls = new CopyOnWriteArrayList<>();
    CircuitBreaker b = shadow(CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(100))
        .interruptOnCallTimeout(true).build(), calls);
    CyclicBarrier go = new CyclicBarrier(2);
    ExecutorService timer = Executors.newSingleThreadExecutor();
    AtomicLong leftInterrupted = new AtomicLong();
    try {
      for (int i = 0; i < TRIALS; i++) {
        Future<?> deadline = timer.submit(() -> {
          go.await();
          time.advance(Duration.ofMillis(100));
          return null;
        });
        String r = b.execute(() -> {
          try {
            go.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return "ok";
        });
        assertThat(r).isEqualTo("ok");
        if (Thread.interrupted()) {
          leftInterrupted.incrementAndGet();
        }
        deadline.get(10, TimeUnit.SECONDS);
      }
    } finally {
      timer.shutdownNow();
    }
    CircuitBreakerStatus s = b.status();
    assertThat(leftInterrupted).as("calls that returned to their caller interrupted").hasValue(0);
    assertThat(s.successfulCalls() + s.failedCalls()).isEqualTo(TRIALS);
    assertThat(s.totalCalls()).isEqualTo(TRIALS);
    assertThat(calls).hasSize(TRIALS);
    assertThat(time.pending()).isZero();
  }

  @Test
  void deadlinesOfCallsStartedBeforeAResetCountInNoWindowAfterIt() {
    List<CallEvent> calls = new CopyOnWriteArrayList<>();
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(100))
        .failureThreshold(3).build());
    b.onCall(calls::add);
    List<CompletableFuture<String>> downstreams = new java.util.ArrayList<>();
    List<CompletionStage<String>> stages = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CompletableFuture<String> d = new CompletableFuture<>();
      downstreams.add(d);
      stages.add(b.executeAsync(() -> d));
    }
    b.reset();
    time.advance(Duration.ofMillis(100));
    assertThat(stages).allSatisfy(st -> assertThat(st.toCompletableFuture()).isCompletedExceptionally());
    assertThat(b.state()).as("five deadlines of calls the old window permitted trip nothing").isEqualTo(CircuitState.CLOSED);
    assertThat(b.status().callsInWindow()).isZero();
    assertThat(b.status().consecutiveFailures()).isZero();
    assertThat(b.status().failedCalls()).isEqualTo(5);
    downstreams.forEach(d -> d.complete("late"));
    assertThat(b.status().successfulCalls()).isZero();
    assertThat(calls).hasSize(5);
  }

  @Test
  void aProbeTimingOutAfterAResetMovesTheBreakerNowhere() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(100)).build());
    b.transitionTo(CircuitState.HALF_OPEN);
    CompletionStage<String> probe = b.executeAsync(CompletableFuture::new);
    b.reset();
    time.advance(Duration.ofMillis(100));
    assertThat(probe.toCompletableFuture()).isCompletedExceptionally();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.status().callsInWindow()).isZero();
  }

  @Test
  void aDeadlineAfterTheBreakerOpenedPublishesNoSecondTransition() {
    List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(100))
        .failureThreshold(2).build());
    b.onStateChange(transitions::add);
    CompletionStage<String> slow = b.executeAsync(CompletableFuture::new);
    for (int i = 0; i < 2; i++) {
      b.executeAsync(() -> CompletableFuture.<String>failedFuture(new IllegalStateException("down")));
    }
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    time.advance(Duration.ofMillis(100));
    assertThat(slow.toCompletableFuture()).isCompletedExceptionally();
    assertThat(transitions).hasSize(1);
    assertThat(b.status().failedCalls()).isEqualTo(3);
  }

  @Test
  void tenThousandFinishedCallsLeaveNoTimerTasksBehind() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().callTimeout(Duration.ofSeconds(1)).build());
    List<CompletableFuture<String>> downstreams = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      CompletableFuture<String> d = new CompletableFuture<>();
      downstreams.add(d);
      b.executeAsync(() -> d);
      time.advance(Duration.ofNanos(50_000));
    }
    downstreams.forEach(d -> d.complete("ok"));
    assertThat(b.status().successfulCalls()).isEqualTo(10_000);
    assertThat(time.scheduledCount()).as("one timer, not a task per call").isLessThanOrEqualTo(3);
    time.advance(Duration.ofSeconds(2));
    assertThat(time.pending()).isZero();
  }

  @Test
  void configureDefaultLeavesBreakersBasedOnASharedConfigAlone() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().ticker(time).clock(time)
        .scheduler(time.scheduler()).eventExecutor(Runnable::run).build();
    CircuitBreakerConfig strict = CircuitBreakerConfig.builder().failureThreshold(2).build();
    registry.addConfiguration("strict", strict);
    CircuitBreaker payments = registry.breaker("payments", "strict");
    CircuitBreaker other = registry.breaker("other");
    CircuitBreakerConfig lenient = CircuitBreakerConfig.builder().failureThreshold(9).build();
    registry.configureDefault(lenient);
    assertThat(other.config()).isSameAs(lenient);
    assertThat(payments.config()).as("it follows 'strict', not the default").isSameAs(strict);
    assertThat(registry.configFor("payments")).isSameAs(strict);
    CircuitBreakerConfig stricter = CircuitBreakerConfig.builder().failureThreshold(1).build();
    registry.addConfiguration("strict", stricter);
    assertThat(payments.config()).isSameAs(stricter);
  }

  @Test
  void aTypedResultPredicateOnAPrimitiveTypeTestsTheBoxedResult() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.builder().recordResult(int.class, code -> code >= 500).build());
    assertThat(b.execute(() -> 503)).isEqualTo(503);
    assertThat(b.execute(() -> "not an int")).isEqualTo("not an int");
    assertThat(b.execute(() -> 200)).isEqualTo(200);
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.status().successfulCalls()).isEqualTo(2);
  }
}
