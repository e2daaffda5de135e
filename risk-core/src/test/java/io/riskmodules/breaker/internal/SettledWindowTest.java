package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When a success may skip the window's lock (what keeps the success path at a few nanoseconds on
 * a contended breaker), and when it must wait for it: a window is settled once a judgement under
 * its config found at least the minimum number of calls and no reason to trip, and a time window
 * only for the second that judgement was in. The test holds the window's lock and makes a call on
 * another thread: a success that skips the lock ends while the lock is held; one that needs it
 * waits in the lock's queue until the test lets go.
 */
class SettledWindowTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong nanos = new AtomicLong(SECOND / 2);
  private final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopCaller() throws InterruptedException {
    caller.shutdownNow();
    assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private CircuitBreaker breaker(SlidingWindowType type, int minimum) {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    b = type == SlidingWindowType.COUNT_BASED ? b.countBasedWindow(10) : b.timeBasedWindow(10);
    return CircuitBreaker.builder("svc").ticker(nanos::get).eventExecutor(Runnable::run)
        .config(b.minimumNumberOfCalls(minimum).failureRateThreshold(0.5).failureThreshold(1_000)
            .disableSlowCallDetection().build())
        .build();
  }

  private static Window lockOf(CircuitBreaker breaker) {
    return ((DefaultCircuitBreaker) breaker).windowForTest();
  }

  private static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.execute(() -> "ok");
    }
  }

  private static void fail(CircuitBreaker breaker) {
    try {
      breaker.execute(() -> {
        throw new IllegalStateException("boom");
      });
    } catch (IllegalStateException expected) {
      // recorded
    }
  }

  /** A success on another thread, with the window's lock held here: ends without it. */
  private void assertASuccessSkipsTheLock(CircuitBreaker breaker) throws Exception {
    Window lock = lockOf(breaker);
    lock.lock();
    try {
      Future<String> call = caller.submit(() -> breaker.execute(() -> "ok"));
      assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
    } finally {
      lock.unlock();
    }
  }

  /** A success on another thread, with the window's lock held here: waits for it. */
  private void assertASuccessWaitsForTheLock(CircuitBreaker breaker) throws Exception {
    Window lock = lockOf(breaker);
    Future<String> call;
    lock.lock();
    try {
      call = caller.submit(() -> breaker.execute(() -> "ok"));
      await().atMost(Duration.ofSeconds(30)).until(lock::hasQueuedThreads);
      assertThat(call.isDone()).isFalse();
    } finally {
      lock.unlock();
    }
    assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void successesWaitForTheLockUntilTheWindowHoldsTheMinimumThenSkipIt(SlidingWindowType type)
      throws Exception {
    CircuitBreaker breaker = breaker(type, 4);
    succeed(breaker, 2);
    assertASuccessWaitsForTheLock(breaker); // the third call
    assertASuccessWaitsForTheLock(breaker); // the fourth: judged under the lock, settles it
    assertASuccessSkipsTheLock(breaker);
    assertASuccessSkipsTheLock(breaker);
    assertThat(breaker.status().callsInWindow()).isEqualTo(6);
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aFailureThatDoesNotTripLeavesTheWindowSettled(SlidingWindowType type) throws Exception {
    CircuitBreaker breaker = breaker(type, 4);
    succeed(breaker, 4);
    fail(breaker);
    assertASuccessSkipsTheLock(breaker);
    assertThat(breaker.status().failureRate()).isEqualTo(1.0 / 6);
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void aReconfigureUnsettlesTheWindowUntilItIsJudgedUnderTheNewConfig(SlidingWindowType type)
      throws Exception {
    CircuitBreaker breaker = breaker(type, 4);
    succeed(breaker, 4);
    breaker.reconfigure(breaker.config().toBuilder().failureRateThreshold(0.4).build());
    assertASuccessWaitsForTheLock(breaker);
    assertASuccessSkipsTheLock(breaker);
  }

  @Test
  void aTimeWindowIsSettledForOneSecond() throws Exception {
    CircuitBreaker breaker = breaker(SlidingWindowType.TIME_BASED, 4);
    succeed(breaker, 4);
    assertASuccessSkipsTheLock(breaker);
    nanos.addAndGet(SECOND); // calls may have left the window: the first success is judged
    assertASuccessWaitsForTheLock(breaker);
    assertASuccessSkipsTheLock(breaker);
    assertThat(breaker.status().callsInWindow()).isEqualTo(7);
  }

  @Test
  void aTimeWindowThatFellBelowTheMinimumIsNoLongerSettled() throws Exception {
    CircuitBreaker breaker = breaker(SlidingWindowType.TIME_BASED, 4);
    succeed(breaker, 4);
    nanos.addAndGet(10 * SECOND); // all four have left the window
    assertASuccessWaitsForTheLock(breaker);
    assertASuccessWaitsForTheLock(breaker);
    assertThat(breaker.status().callsInWindow()).isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aWindowJudgedUnderAnotherConfigSinceIsJudgedAgainWhenTheFirstConfigComesBack() {
    CircuitBreaker breaker = breaker(SlidingWindowType.COUNT_BASED, 4);
    CircuitBreakerConfig strict = breaker.config().toBuilder().failureRateThreshold(0.3).build();
    breaker.reconfigure(strict);
    succeed(breaker, 4); // settled under the strict config
    breaker.reconfigure(strict.toBuilder().minimumNumberOfCalls(10).failureRateThreshold(1.0).build());
    fail(breaker);
    fail(breaker);
    fail(breaker); // 3 in 7: below this config's minimum
    breaker.reconfigure(strict);
    assertThat(breaker.config()).isSameAs(strict);
    succeed(breaker, 1); // 3 in 8 is 37.5 %: the strict config trips on it
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @ParameterizedTest
  @EnumSource(SlidingWindowType.class)
  void readingTheStatusLeavesTheWindowFreeForOtherThreads(SlidingWindowType type) throws Exception {
    CircuitBreaker breaker = breaker(type, 4);
    fail(breaker);
    assertThat(breaker.status().consecutiveFailures()).isEqualTo(1);
    assertThat(breaker.status().failureRate()).isEqualTo(1.0);
    Future<?> failure = caller.submit(() -> fail(breaker));
    failure.get(30, TimeUnit.SECONDS);
    assertThat(breaker.status().consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void aSuccessJudgedUnderTheLockEndsTheStreakEvenBelowALoweredThreshold() {
    CircuitBreaker breaker = breaker(SlidingWindowType.COUNT_BASED, 100);
    fail(breaker);
    fail(breaker);
    fail(breaker);
    breaker.reconfigure(breaker.config().toBuilder().failureThreshold(3).build());
    succeed(breaker, 1); // judged under the lock: a new config, and below the minimum
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.status().consecutiveFailures()).isZero();
  }
}
