package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 item 1: a call still running at its deadline counts as a failure (and slow) then; its
 * late outcome is ignored. A "hanging" synchronous call here is one that advances the manual time
 * past its deadline while it runs: the deadline then fires inside it, as it would on the timer
 * thread while a real call hangs.
 */
class CallTimeoutTest {
  private final ScheduledTime time = new ScheduledTime();
  private final List<CallEvent> calls = new CopyOnWriteArrayList<>();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    CircuitBreaker b = CircuitBreaker.builder("svc").config(config).ticker(time).clock(time)
        .scheduler(time.scheduler()).eventExecutor(Runnable::run).build();
    b.onCall(calls::add);
    return b;
  }

  private static CircuitBreakerConfig.Builder timeout(long millis) {
    return CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(millis));
  }

  /** A call that hangs for {@code d} and then returns "late". */
  private String hang(Duration d) {
    time.advance(d);
    return "late";
  }

  @Test
  void aHungCallCountsAsAFailureAndSlowAtItsDeadlineNotWhenItReturns() {
    CircuitBreaker b = breaker(timeout(500).build());
    AtomicReference<CircuitBreakerStatus> atDeadline = new AtomicReference<>();
    String r = b.execute(() -> {
      time.advance(Duration.ofMillis(499));
      assertThat(b.status().failedCalls()).as("before the deadline").isZero();
      time.advance(Duration.ofMillis(1));
      atDeadline.set(b.status());
      time.advance(Duration.ofSeconds(60));
      return "late";
    });
    assertThat(r).as("the caller still gets what the call returned").isEqualTo("late");
    assertThat(atDeadline.get().failedCalls()).isEqualTo(1);
    assertThat(atDeadline.get().slowCalls()).isEqualTo(1);
    CircuitBreakerStatus after = b.status();
    assertThat(after.failedCalls()).as("the late success is ignored").isEqualTo(1);
    assertThat(after.successfulCalls()).isZero();
    assertThat(after.totalCalls()).isEqualTo(1);
    assertThat(calls).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(CallOutcome.FAILURE);
      assertThat(e.slow()).isTrue();
      assertThat(e.error()).isInstanceOf(TimeoutException.class)
          .hasMessage("circuit breaker 'svc': call still running after 500 ms (call_timeout_ms)");
    });
  }

  @Test
  void hungCallsTripTheBreakerAfterFailureThresholdDeadlines() {
    CircuitBreaker b = breaker(timeout(200).build());
    for (int i = 0; i < 4; i++) {
      b.execute(() -> hang(Duration.ofSeconds(1)));
    }
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    AtomicReference<CircuitState> stateAtDeadline = new AtomicReference<>();
    b.execute(() -> {
      time.advance(Duration.ofMillis(200));
      stateAtDeadline.set(b.state());
      return hang(Duration.ofMinutes(5));
    });
    assertThat(stateAtDeadline.get()).as("open at the fifth deadline, while the call still hangs")
        .isEqualTo(CircuitState.OPEN);
    assertThat(b.status().lastTransitions()).filteredOn(t -> t.to() == CircuitState.OPEN).singleElement()
        .extracting(StateTransition::reason).isEqualTo("5 consecutive failures (failure_threshold 5)");
  }

  @Test
  void aCallThatEndsInTimeCountsAsWithoutTimeoutAndLeavesNoTaskBehind() {
    CircuitBreaker b = breaker(timeout(500).build());
    for (int i = 0; i < 1_000; i++) {
      b.execute(() -> hang(Duration.ofMillis(1)));
    }
    assertThat(b.status().successfulCalls()).isEqualTo(1_000);
    assertThat(b.status().failedCalls()).isZero();
    assertThat(time.scheduledCount()).as("one timer for all calls, not one task per call").isLessThanOrEqualTo(3);
    time.advance(Duration.ofSeconds(1));
    assertThat(time.pending()).as("nothing scheduled once no call is in flight").isZero();
  }

  @Test
  void aLateExceptionGoesToTheFallbackSinceTheCallCountedAsAFailure() {
    CircuitBreaker b = breaker(timeout(100).build());
    String r = b.execute(() -> {
      time.advance(Duration.ofMillis(150));
      throw new IllegalStateException("late failure");
    }, cause -> "fallback: " + cause.getMessage());
    assertThat(r).isEqualTo("fallback: late failure");
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void aHungProbeReturnsItsPermitAndReopensTheBreaker() {
    CircuitBreaker b = breaker(timeout(1_000).halfOpenMaxCalls(1).successThreshold(1).build());
    b.transitionTo(CircuitState.OPEN);
    time.advance(Duration.ofSeconds(30));
    AtomicReference<CircuitState> atDeadline = new AtomicReference<>();
    AtomicReference<String> nested = new AtomicReference<>();
    b.execute(() -> {
      time.advance(Duration.ofSeconds(1));
      atDeadline.set(b.state());
      time.advance(Duration.ofSeconds(30)); // the open timeout after the failed probe
      nested.set(b.execute(() -> "second probe")); // the hung one holds no permit any more
      return "late";
    });
    assertThat(atDeadline.get()).isEqualTo(CircuitState.OPEN);
    assertThat(nested.get()).isEqualTo("second probe");
    assertThat(b.state()).as("the late success of the first probe is ignored").isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void executeAsyncCompletesWithATimeoutExceptionAtTheDeadline() {
    CircuitBreaker b = breaker(timeout(300).build());
    CompletableFuture<String> downstream = new CompletableFuture<>();
    CompletionStage<String> stage = b.executeAsync(() -> downstream);
    time.advance(Duration.ofMillis(299));
    assertThat(stage.toCompletableFuture()).isNotDone();
    time.advance(Duration.ofMillis(1));
    assertThatThrownBy(() -> stage.toCompletableFuture().join()).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(b.status().failedCalls()).isEqualTo(1);
    downstream.complete("late");
    assertThat(b.status().successfulCalls()).isZero();
    assertThat(downstream).as("not cancelled unless asked").isCompletedWithValue("late");
  }

  @Test
  void executeAsyncCompletesAtTheDeadlineEvenWhenAnObserverThrowsAnError() {
    CircuitBreaker b = breaker(timeout(300).build());
    b.addObserver((outcome, durationNanos, weight) -> {
      throw new AssertionError("observer bug");
    });
    CompletionStage<String> stage = b.executeAsync(CompletableFuture::new);
    time.advance(Duration.ofMillis(300));
    assertThat(stage.toCompletableFuture()).as("the caller is not left waiting").isDone();
    assertThatThrownBy(() -> stage.toCompletableFuture().join()).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void executeAsyncCancelsTheUnderlyingStageWhenAsked() {
    CircuitBreaker b = breaker(timeout(300).cancelOnCallTimeout(true).build());
    CompletableFuture<String> downstream = new CompletableFuture<>();
    CompletionStage<String> stage = b.executeAsync(() -> downstream, cause -> "fallback");
    time.advance(Duration.ofMillis(300));
    assertThat(stage.toCompletableFuture().join()).isEqualTo("fallback");
    assertThat(downstream).isCancelled();
    CircuitBreakerStatus s = b.status();
    assertThat(s.failedCalls()).isEqualTo(1);
    assertThat(s.ignoredCalls()).as("the cancellation is the late outcome: ignored").isZero();
  }

  @Test
  void anAsyncSupplierThatBlocksIsTimedOutToo() {
    CircuitBreaker b = breaker(timeout(300).cancelOnCallTimeout(true).build());
    CompletableFuture<String> downstream = new CompletableFuture<>();
    CompletionStage<String> stage = b.executeAsync(() -> {
      time.advance(Duration.ofSeconds(1));
      return downstream;
    });
    assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
    assertThat(downstream).as("cancelled once the supplier handed it over").isCancelled();
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void anAsyncCallThatCompletesInTimeIsRecordedAsWithoutTimeout() {
    CircuitBreaker b = breaker(timeout(300).build());
    CompletableFuture<String> downstream = new CompletableFuture<>();
    CompletionStage<String> stage = b.executeAsync(() -> downstream);
    time.advance(Duration.ofMillis(100));
    downstream.complete("ok");
    time.advance(Duration.ofSeconds(1));
    assertThat(stage.toCompletableFuture().join()).isEqualTo("ok");
    assertThat(b.status().successfulCalls()).isEqualTo(1);
    assertThat(b.status().failedCalls()).isZero();
  }

  @Test
  void asyncCallsInFlightTogetherEachTimeOutAtTheirOwnDeadline() {
    CircuitBreaker b = breaker(timeout(100).failureThreshold(10).build());
    List<CompletableFuture<String>> results = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) { // started 10 ms apart: deadlines at 100, 110 and 120 ms
      CompletableFuture<String> downstream = new CompletableFuture<>();
      results.add(b.executeAsync(() -> downstream).toCompletableFuture());
      time.advance(Duration.ofMillis(10));
    }
    time.advance(Duration.ofMillis(70));
    assertThat(results).extracting(CompletableFuture::isDone).containsExactly(true, false, false);
    time.advance(Duration.ofMillis(10));
    assertThat(results).extracting(CompletableFuture::isDone).containsExactly(true, true, false);
    time.advance(Duration.ofMillis(10));
    assertThat(results).extracting(CompletableFuture::isDone).containsExactly(true, true, true);
    assertThat(b.status().failedCalls()).isEqualTo(3);
    assertThat(time.pending()).isZero();
  }

  @Test
  void callsWithTheSameDeadlineShareOneTimerTask() {
    CircuitBreaker b = breaker(timeout(100).build());
    for (int i = 0; i < 3; i++) {
      b.executeAsync(CompletableFuture::new);
    }
    assertThat(time.scheduledCount()).isEqualTo(1);
    time.advance(Duration.ofMillis(100));
    assertThat(b.status().failedCalls()).isEqualTo(3);
  }

  @Test
  void anAsyncSupplierThatThrowsUnderACallTimeoutIsJudgedAsWithout() {
    CircuitBreaker b = breaker(timeout(100).ignoreExceptions(Faults.Business.class).build());
    CompletionStage<String> failed = b.executeAsync(() -> {
      throw new Faults.Boom();
    }, cause -> "fallback");
    Faults.Business business = new Faults.Business();
    CompletionStage<String> ignored = b.executeAsync(() -> {
      throw business;
    }, cause -> "fallback");
    CompletionStage<String> bug = b.executeAsync(() -> null);
    // complete at once, before any deadline: no wait here
    assertThat(failed.toCompletableFuture()).isCompletedWithValue("fallback");
    assertThat(ignored.toCompletableFuture()).isCompletedExceptionally()
        .failsWithin(Duration.ZERO).withThrowableThat().havingCause().isSameAs(business);
    assertThat(bug.toCompletableFuture()).isCompletedExceptionally()
        .failsWithin(Duration.ZERO).withThrowableThat().havingCause().isInstanceOf(NullPointerException.class);
    time.advance(Duration.ofSeconds(1)); // their deadlines pass: nothing more is counted
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.status().ignoredCalls()).as("the exception ignored, the null a caller's bug").isEqualTo(2);
    assertThat(calls).extracting(CallEvent::outcome)
        .containsExactly(CallOutcome.FAILURE, CallOutcome.IGNORED, CallOutcome.IGNORED);
  }

  /** A stage whose future cannot be had, so cannot be cancelled either. */
  private static final class Uncancellable<T> extends CompletableFuture<T> {
    @Override
    public CompletableFuture<T> toCompletableFuture() {
      throw new IllegalStateException("no future here");
    }
  }

  @Test
  void aStageThatFailsToBeCancelledAtItsDeadlineIsLoggedAndKeepsNoOtherCallFromItsTimeout() {
    String name = "uncancellable-" + System.identityHashCode(this);
    CircuitBreaker b = CircuitBreaker.builder(name).config(timeout(100).cancelOnCallTimeout(true).build())
        .ticker(time).clock(time).scheduler(time.scheduler()).eventExecutor(Runnable::run).build();
    CompletableFuture<String> first = b.executeAsync(Uncancellable<String>::new).toCompletableFuture();
    CompletableFuture<String> second = b.executeAsync(Uncancellable<String>::new).toCompletableFuture();
    long mark = io.riskmodules.testlogs.RecordedLogs.mark();
    time.advance(Duration.ofMillis(100));
    for (CompletableFuture<String> result : List.of(first, second)) {
      assertThat(result).failsWithin(Duration.ZERO).withThrowableThat().havingCause().isInstanceOf(TimeoutException.class);
    }
    assertThat(b.status().failedCalls()).isEqualTo(2);
    assertThat(io.riskmodules.testlogs.RecordedLogs.since(mark, name))
        .filteredOn(e -> e.level() == org.slf4j.event.Level.WARN).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("call timeout work failed"));
  }

  @Test
  void offByDefaultNothingIsScheduled() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    b.execute(() -> hang(Duration.ofHours(1)));
    b.executeAsync(CompletableFuture::new);
    time.advance(Duration.ofHours(1));
    assertThat(time.scheduledCount()).isZero();
    assertThat(b.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void withSlowCallDetectionOffATimedOutCallIsAFailureButNotSlow() {
    CircuitBreaker b = breaker(timeout(100).disableSlowCallDetection().build());
    b.execute(() -> hang(Duration.ofSeconds(1)));
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.status().slowCalls()).isZero();
  }

  @Test
  void aSynchronousCallIsInterruptedWhenAskedAndTheInterruptDoesNotOutliveIt() throws Exception {
    CircuitBreaker b = breaker(timeout(100).interruptOnCallTimeout(true).build());
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      Future<String> outcome = caller.submit(() -> {
        try {
          b.call(() -> {
            started.countDown();
            never.await();
            return "not reached";
          });
          return "returned";
        } catch (InterruptedException e) {
          return "interrupted, flag after: " + Thread.currentThread().isInterrupted();
        }
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      time.advance(Duration.ofMillis(100));
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted, flag after: false");
      assertThat(b.status().failedCalls()).isEqualTo(1);

      // a call that ignores the interrupt and returns: the caller's thread is not left interrupted
      CountDownLatch started2 = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<String> second = caller.submit(() -> {
        String r = b.execute(() -> {
          started2.countDown();
          boolean interrupted = false;
          while (true) {
            try {
              release.await();
              break;
            } catch (InterruptedException e) {
              interrupted = true; // swallowed, as careless code does
            }
          }
          return "interrupted in call: " + interrupted;
        });
        return r + ", flag after: " + Thread.currentThread().isInterrupted();
      });
      assertThat(started2.await(10, TimeUnit.SECONDS)).isTrue();
      time.advance(Duration.ofMillis(100));
      release.countDown();
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted in call: true, flag after: false");
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  void theSharedTimerTimesOutInRealTimeAndLeavesNoThreadOnceIdle() {
    CircuitBreaker b = CircuitBreaker.of("real-time", timeout(50).build());
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletionStage<String> stage = b.executeAsync(() -> never);
    await().atMost(Duration.ofSeconds(10)).until(() -> stage.toCompletableFuture().isDone());
    assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
    assertThat(b.status().failedCalls()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("riskmodules-timer")));
  }
}
