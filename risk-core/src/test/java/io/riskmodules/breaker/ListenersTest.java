package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ListenersTest {
  private final ManualTime time = new ManualTime();

  @Test
  void transitionListenersSeeEveryTransitionOnceInOrder() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<String> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.from() + ">" + t.to() + "#" + t.sequence()));
    fail(b, 5);
    time.advance(Duration.ofSeconds(30));
    succeed(b, 3);
    assertThat(seen).containsExactly("CLOSED>OPEN#1", "OPEN>HALF_OPEN#2", "HALF_OPEN>CLOSED#3");
  }

  @Test
  void callListenersSeeEachOutcome() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().ignoreExceptions(Faults.Business.class).build());
    List<CallOutcome> outcomes = new ArrayList<>();
    b.onCall(e -> outcomes.add(e.outcome()));
    succeed(b, 1);
    fail(b, 1);
    try {
      b.execute(() -> {
        throw new Faults.Business();
      });
    } catch (Faults.Business expected) {
      // ignored
    }
    b.trip();
    b.execute(() -> 1, cause -> 0);
    assertThat(outcomes).containsExactly(CallOutcome.SUCCESS, CallOutcome.FAILURE, CallOutcome.IGNORED, CallOutcome.REJECTED);
  }

  @Test
  void aThrowingListenerIsIsolated() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<CircuitState> seen = new ArrayList<>();
    b.onStateChange(t -> {
      throw new IllegalStateException("listener bug");
    });
    b.onStateChange(t -> seen.add(t.to()));
    fail(b, 5);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(seen).containsExactly(CircuitState.OPEN);
  }

  @Test
  void closingASubscriptionStopsDelivery() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<CircuitBreakerEvent> seen = new ArrayList<>();
    Subscription s = b.onEvent(seen::add);
    succeed(b, 1);
    s.close();
    s.close();
    succeed(b, 1);
    b.trip();
    assertThat(seen).hasSize(1);
  }

  @Test
  void everyKindOfSubscriptionEndsItsDeliveryWhenClosed() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<Object> seen = new ArrayList<>();
    List<Subscription> subscriptions = List.of(
        b.onStateChange(seen::add), b.onCall(seen::add), b.onThresholdExceeded(seen::add), b.onEvent(seen::add));
    subscriptions.forEach(Subscription::close);
    fail(b, 5);
    b.execute(() -> "rejected", cause -> "fallback");
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(seen).isEmpty();
  }

  @Test
  void eachListenerIsHandedOnlyTheKindsOfEventItAskedFor() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<Object> transitions = new ArrayList<>();
    List<Object> calls = new ArrayList<>();
    List<Object> thresholds = new ArrayList<>();
    // typed as taking anything: a listener typed narrower would only fail on an event of another kind
    Consumer<Object> toTransitions = transitions::add;
    Consumer<Object> toCalls = calls::add;
    Consumer<Object> toThresholds = thresholds::add;
    b.onStateChange(toTransitions);
    b.onCall(toCalls);
    b.onThresholdExceeded(toThresholds);
    succeed(b, 1);
    fail(b, 5);
    b.execute(() -> "rejected", cause -> "fallback");
    assertThat(transitions).singleElement().isInstanceOf(StateTransition.class);
    assertThat(calls).hasSize(7).allSatisfy(e -> assertThat(e).isInstanceOf(CallEvent.class));
    assertThat(thresholds).singleElement().isInstanceOf(ThresholdExceeded.ConsecutiveFailures.class);
  }

  @Test
  void callListenersSeeHowLongEachCallTookAndZeroForOneNothingTimed() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    List<Long> durations = new ArrayList<>();
    b.onCall(e -> durations.add(e.durationNanos()));
    time.advance(Duration.ofHours(1)); // a start at 0 would look the same as no start
    b.execute(Faults.taking(time, Duration.ofMillis(7)));
    b.acquirePermit().release(); // released without an outcome: nothing timed it
    java.util.concurrent.CompletableFuture<String> stage = new java.util.concurrent.CompletableFuture<>();
    b.executeAsync(() -> stage);
    time.advance(Duration.ofMillis(3));
    stage.cancel(false); // ignored, after the 3 ms it ran
    assertThat(durations).containsExactly(7_000_000L, 0L, 3_000_000L);
  }

  @Test
  void aBreakerWhoseListenersWantNoCallEventsHandsTheEventExecutorNothingPerCall() {
    AtomicInteger tasks = new AtomicInteger();
    Executor counting = task -> {
      tasks.incrementAndGet();
      task.run();
    };
    CircuitBreaker b = CircuitBreaker.builder("svc").config(CircuitBreakerConfig.builder().failureThreshold(100).build())
        .ticker(time).clock(time).eventExecutor(counting).build();
    List<CircuitState> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.to()));
    b.addObserver((outcome, nanos, weight) -> { });
    succeed(b, 10);
    fail(b, 4);
    b.trip();
    for (int i = 0; i < 10; i++) {
      b.execute(() -> "rejected", cause -> "fallback");
    }
    assertThat(seen).containsExactly(CircuitState.FORCED_OPEN);
    assertThat(tasks).as("one delivery: the transition's").hasValue(1);
  }

  @Test
  void observersSeeDurationsSynchronously() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    List<Long> durations = new ArrayList<>();
    Subscription s = b.addObserver((outcome, nanos, weight) -> durations.add(nanos));
    b.execute(Faults.taking(time, Duration.ofMillis(7)));
    assertThat(durations).containsExactly(Duration.ofMillis(7).toNanos());
    s.close();
    b.execute(Faults.taking(time, Duration.ofMillis(7)));
    assertThat(durations).hasSize(1);
  }

  @Test
  void observersSeeEveryCallOfAQuietBreakerAndEveryFailureWithWeightOne() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1_000).build());
    List<String> seen = new ArrayList<>();
    b.addObserver((outcome, nanos, weight) -> seen.add(outcome + "x" + weight));
    for (int i = 0; i < 50; i++) { // a third of the calls fail: under the failure-rate threshold
      b.execute(Faults.taking(time, Duration.ofMillis(20)));
      b.execute(Faults.taking(time, Duration.ofMillis(20)));
      fail(b, 1);
    }
    assertThat(seen).hasSize(150).containsOnly("SUCCESSx1", "FAILUREx1");
  }

  @Test
  void aBusyBreakerShowsObserversAWeightedSampleThatAddsUpToItsSuccesses() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    long[] shown = new long[2]; // calls shown, their total weight
    b.addObserver((outcome, nanos, weight) -> {
      shown[0]++;
      shown[1] += weight;
    });
    int calls = 2_000_000;
    for (int i = 0; i < calls; i++) { // a hundred thousand calls a second, for twenty seconds
      b.execute(Faults.taking(time, Duration.ofNanos(10_000)));
    }
    assertThat(b.status().successfulCalls()).isEqualTo(calls);
    assertThat(shown[0]).as("a few hundred a second, and every call before the first checks").isBetween(20L * 200, 21L * 512);
    assertThat(calls - shown[1]).as("only calls after the last one shown are unweighted").isBetween(0L, 1_024L);
  }

  @Test
  void anObserverAttachedToABusyBreakerIsShownOneCallPerLookUntilTheRateIsMeasuredAndOnlyItsOwnCallsWeighted() {
    // untimed: a timed breaker's sample reads the clock its calls are timed with, observed or not
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    for (int i = 0; i < 1_000_000; i++) { // ten seconds at a hundred thousand calls a second, unobserved
      b.execute(Faults.taking(time, Duration.ofNanos(10_000)));
    }
    long[] shown = new long[3];
    b.addObserver((outcome, nanos, weight) -> {
      if (shown[0]++ == 0) {
        shown[2] = weight;
      }
      shown[1] += weight;
    });
    int calls = 1_000_000;
    long shownOfFirst512 = 0;
    for (int i = 0; i < calls; i++) {
      b.execute(Faults.taking(time, Duration.ofNanos(10_000)));
      if (i == 511) {
        shownOfFirst512 = shown[0];
      }
    }
    // Unobserved, the sample reads no clock, so it cannot know the rate: its first period with the
    // observer is measured again, and until then it shows one call per look, a look being one call
    // in 1 to 256 at a random phase (the sample's own random seed, not the time, picks it). That is
    // 2 to 10 calls of the first 512 (5 or more in about one run in eight); a sample that learnt
    // again from one call in one would show hundreds.
    assertThat(shown[2]).as("the first call shown stands for one look's calls at most").isBetween(1L, 256L);
    assertThat(shownOfFirst512).as("the first 512 calls are sampled one per look, not all shown").isBetween(1L, 32L);
    assertThat(shown[0]).as("a few hundred a second").isBetween(10L * 200, 11L * 512);
    assertThat(shown[1] - calls)
        .as("the first weight may reach back before the observer came, by one spacing at most")
        .isBetween(-1_024L, 768L);
  }

  @Test
  void anObserverAttachedWhileACallRunsDoesNotRecordThatUntimedCallAsTakingNoTime() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    List<Long> durations = new ArrayList<>();
    b.execute(() -> {
      b.addObserver((outcome, nanos, weight) -> durations.add(nanos));
      time.advance(Duration.ofMillis(250));
      return "untimed: nothing wanted a duration when it started";
    });
    b.execute(Faults.taking(time, Duration.ofMillis(40)));
    assertThat(durations).containsExactly(40_000_000L);
  }

  @Test
  void anEventExecutorThatThrowsDoesNotStopDelivery() {
    AtomicInteger handed = new AtomicInteger();
    Executor brokenOnce = task -> {
      if (handed.getAndIncrement() == 0) {
        throw new IllegalStateException("executor bug");
      }
      task.run();
    };
    CircuitBreaker b = CircuitBreaker.builder("svc").ticker(time).clock(time).eventExecutor(brokenOnce).build();
    List<CircuitState> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.to()));
    b.transitionTo(CircuitState.OPEN);
    b.transitionTo(CircuitState.HALF_OPEN);
    b.transitionTo(CircuitState.CLOSED);
    assertThat(seen).containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
  }

  @Test
  void listenersRunOnTheEventExecutorNotTheCallersThread() throws Exception {
    ExecutorService events = Executors.newSingleThreadExecutor(r -> new Thread(r, "breaker-events"));
    try {
      CircuitBreaker b = CircuitBreaker.builder("svc").ticker(time).clock(time).eventExecutor(events).build();
      List<String> threads = new CopyOnWriteArrayList<>();
      b.onStateChange(t -> threads.add(Thread.currentThread().getName()));
      fail(b, 5);
      await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
      assertThat(threads).containsExactly("breaker-events");
    } finally {
      events.shutdownNow();
      assertThat(events.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void noListenerRunsWhileTheBreakerHoldsALock() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    List<Boolean> otherThreadCouldRecord = new ArrayList<>();
    b.onStateChange(t -> {
      // Another thread records an outcome, which takes the window lock: it would hang if the
      // transition were published with that lock held.
      OtherThread.run(() -> b.execute(() -> "from another thread", cause -> "rejected"),
          otherThreadCouldRecord);
    });
    fail(b, 5);
    assertThat(otherThreadCouldRecord).containsExactly(true);
  }

  /** Runs a task on a fresh thread and notes whether it finished within five seconds. */
  static final class OtherThread {
    static void run(Runnable task, List<Boolean> finished) {
      Thread t = new Thread(task);
      t.start();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.add(!t.isAlive());
    }
  }
}
