package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.SlidingWindowType;
import io.riskmodules.breaker.WouldHaveOpened;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The window is its own lock. A trip is decided under it and retires the window, and a
 * METRICS_ONLY window that would have tripped reads its counts, under the same hold: the lock is
 * reentrant, and a breaker whose lock were not would wait for itself for ever (each case runs
 * with a deadline, so that such a defect fails here instead of hanging the build).
 */
class WindowLockTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopCaller() throws InterruptedException {
    caller.shutdownNow();
    assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static CircuitBreakerConfig.Builder config(SlidingWindowType type) {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    b = type == SlidingWindowType.COUNT_BASED ? b.countBasedWindow(10) : b.timeBasedWindow(10);
    return b.minimumNumberOfCalls(4).failureRateThreshold(0.5).failureThreshold(3)
        .disableSlowCallDetection();
  }

  private static CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("svc").ticker(() -> 0L).eventExecutor(Runnable::run)
        .config(config).build();
  }

  private static void fail(CircuitBreaker breaker) {
    assertThatThrownBy(() -> breaker.execute(() -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aFailureThatTripsRetiresItsWindowUnderTheSameHold(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(config(type).build());
    assertTimeoutPreemptively(DEADLINE, () -> {
      fail(breaker);
      fail(breaker);
      fail(breaker);
    });
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.status().callsInWindow()).isEqualTo(3);
    assertThat(breaker.status().failureRate()).isEqualTo(1.0);
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aFailureThatQueuedForTheLockAndTripsRetiresItsWindowUnderTheSameHold(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(config(type).build());
    fail(breaker);
    fail(breaker);
    Window window = ((DefaultCircuitBreaker) breaker).windowForTest();
    assertTimeoutPreemptively(DEADLINE, () -> {
      Future<?> third;
      window.lock();
      try {
        third = caller.submit(() -> fail(breaker)); // spins, then queues and parks
        await().atMost(DEADLINE).until(window::hasQueuedThreads);
      } finally {
        window.unlock();
      }
      third.get(DEADLINE.toSeconds(), TimeUnit.SECONDS); // took the lock from the queue, then tripped
    });
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.status().callsInWindow()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aMetricsOnlyWindowThatWouldHaveTrippedReadsItsCountsUnderTheSameHold(SlidingWindowType type) {
    CircuitBreaker breaker = breaker(config(type).build());
    List<WouldHaveOpened> events = new CopyOnWriteArrayList<>();
    breaker.onEvent(e -> {
      if (e instanceof WouldHaveOpened w) {
        events.add(w);
      }
    });
    breaker.transitionTo(CircuitState.METRICS_ONLY);
    assertTimeoutPreemptively(DEADLINE, () -> {
      fail(breaker);
      fail(breaker);
      fail(breaker);
    });
    assertThat(breaker.state()).isEqualTo(CircuitState.METRICS_ONLY);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.callsInWindow()).isEqualTo(3);
      assertThat(e.failureRate()).isEqualTo(1.0);
    });
  }

  @Test
  void theLockIsFreeOnlyWhenEveryHoldIsLetGo() {
    CircuitBreaker breaker = breaker(config(SlidingWindowType.COUNT_BASED).build());
    Window window = ((DefaultCircuitBreaker) breaker).windowForTest();
    // every hold on one thread, the deadline's own: assertTimeoutPreemptively runs its body on
    // another thread than the test's, so a hold taken outside it is a stranger's inside it
    assertTimeoutPreemptively(DEADLINE, () -> {
      Future<?> failure;
      window.lock();
      try {
        window.lock();
        window.unlock();
        failure = caller.submit(() -> fail(breaker)); // a failure takes the lock
        await().atMost(DEADLINE).until(window::hasQueuedThreads);
        assertThat(failure.isDone()).isFalse();
      } finally {
        window.unlock();
      }
      failure.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    });
    assertThat(breaker.status().callsInWindow()).isEqualTo(1);
    assertThat(breaker.status().failureRate()).isEqualTo(1.0);
  }
}
