package io.riskmodules.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.metrics.MetricsCollector;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private final ManualClock clock = new ManualClock();
  private final ScheduledExecutorService scheduler = clock.scheduler();

  @Test
  void tickerAndClockMoveTogetherAndOnlyWhenAdvanced() {
    Instant start = clock.instant();
    assertThat(clock.read()).isZero();
    assertThat(start).isEqualTo(ManualClock.DEFAULT_START);

    clock.advance(Duration.ofMillis(1500));

    assertThat(clock.read()).isEqualTo(1_500_000_000L);
    assertThat(clock.instant()).isEqualTo(start.plusMillis(1500));
    assertThat(clock.millis()).isEqualTo(start.toEpochMilli() + 1500);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aClockInAnotherZoneMovesWithTheOriginal() {
    var tokyo = clock.withZone(ZoneId.of("Asia/Tokyo"));
    clock.advance(Duration.ofSeconds(5));
    assertThat(tokyo.instant()).isEqualTo(clock.instant());
    assertThat(tokyo.getZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(clock.withZone(clock.getZone())).isSameAs(clock);
  }

  @Test
  void timeNeverGoesBack() {
    assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
    clock.advance(Duration.ofSeconds(10));
    clock.advanceTo(ManualClock.DEFAULT_START);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void tasksRunInTimeOrderEachSeeingItsOwnDueTime() {
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("c@" + clock.elapsed().toSeconds()), 3, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("a@" + clock.elapsed().toSeconds()), 1, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("b1@" + clock.elapsed().toSeconds()), 2, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("b2@" + clock.elapsed().toSeconds()), 2, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("late"), 10, TimeUnit.SECONDS);

    clock.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("a@1", "b1@2", "b2@2", "c@3");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(5));
    assertThat(clock.pendingTasks()).isEqualTo(1);
    assertThat(clock.nextTaskIn()).contains(Duration.ofSeconds(5));
  }

  @Test
  void workSubmittedWithoutDelayRunsAtTheNextAdvanceNotOnTheCallersThread() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    var future = scheduler.submit(runs::incrementAndGet);
    assertThat(runs).hasValue(0);
    assertThat(future).isNotDone();

    assertThat(clock.runDueTasks()).isEqualTo(1);

    assertThat(future.get()).isEqualTo(1);
    assertThat(clock.elapsed()).isZero();
  }

  @Test
  void aFixedRateTaskRunsOncePerPeriod() {
    List<Long> at = new ArrayList<>();
    scheduler.scheduleAtFixedRate(() -> at.add(clock.elapsed().toSeconds()), 10, 10, TimeUnit.SECONDS);

    clock.advance(Duration.ofSeconds(60));

    assertThat(at).containsExactly(10L, 20L, 30L, 40L, 50L, 60L);
  }

  @Test
  void aFixedDelayTaskWaitsFromTheEndOfItsRun() {
    List<Long> at = new ArrayList<>();
    scheduler.scheduleWithFixedDelay(() -> {
      at.add(clock.elapsed().toSeconds());
      clock.advance(Duration.ofSeconds(2)); // the task itself takes 2 s
    }, 0, 5, TimeUnit.SECONDS);

    clock.advance(Duration.ofSeconds(20));

    assertThat(at).containsExactly(0L, 7L, 14L);
  }

  @Test
  void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
    List<Long> at = new ArrayList<>();
    scheduler.schedule(() -> {
      at.add(clock.elapsed().toSeconds());
      scheduler.schedule(() -> at.add(clock.elapsed().toSeconds()), 2, TimeUnit.SECONDS);
    }, 1, TimeUnit.SECONDS);

    clock.advance(Duration.ofSeconds(3));

    assertThat(at).containsExactly(1L, 3L);
  }

  @Test
  void aCancelledPeriodicTaskStops() {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(runs::incrementAndGet, 1, 1, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(3));
    f.cancel(false);
    clock.advance(Duration.ofSeconds(3));
    assertThat(runs).hasValue(3);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aPeriodicTaskCancellingItselfStops() {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    self[0] = scheduler.scheduleAtFixedRate(() -> {
      if (runs.incrementAndGet() == 2) {
        self[0].cancel(false);
      }
    }, 1, 1, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(10));
    assertThat(runs).hasValue(2);
  }

  @Test
  void aPeriodicTaskThatThrowsStopsAndItsFutureSaysWhy() {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(() -> {
      if (runs.incrementAndGet() == 2) {
        throw new IllegalStateException("boom");
      }
    }, 1, 1, TimeUnit.SECONDS);

    clock.advance(Duration.ofSeconds(10));

    assertThat(runs).hasValue(2);
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
  }

  @Test
  void shutdownCancelsPeriodicTasksKeepsDelayedOnesAndRefusesNewOnes() throws Exception {
    AtomicInteger periodic = new AtomicInteger();
    AtomicInteger delayed = new AtomicInteger();
    scheduler.scheduleAtFixedRate(periodic::incrementAndGet, 1, 1, TimeUnit.SECONDS);
    scheduler.schedule(delayed::incrementAndGet, 5, TimeUnit.SECONDS);

    scheduler.shutdown();

    assertThat(scheduler.isShutdown()).isTrue();
    assertThat(scheduler.isTerminated()).isFalse();
    assertThatThrownBy(() -> scheduler.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    clock.advance(Duration.ofSeconds(5));
    assertThat(periodic).hasValue(0);
    assertThat(delayed).hasValue(1);
    assertThat(scheduler.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdownNowReturnsWhatNeverRan() {
    scheduler.schedule(() -> {}, 1, TimeUnit.SECONDS);
    scheduler.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS);
    assertThat(scheduler.shutdownNow()).hasSize(2);
    assertThat(scheduler.isTerminated()).isTrue();
  }

  @Test
  void drivesASixtySecondOpenTimeoutWithoutWaiting() {
    CircuitBreaker breaker = CircuitBreaker.builder("payment_service")
        .config(CircuitBreakerConfig.builder().failureThreshold(3).openTimeout(Duration.ofSeconds(60)).build())
        .ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
    for (int i = 0; i < 3; i++) {
      breaker.run(() -> {
        throw new IllegalStateException("down");
      }, e -> {});
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

    clock.advance(Duration.ofSeconds(59));
    assertThat(breaker.remainingOpenTime()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void drivesAMetricsCollectorsTenSecondInterval() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
        .ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
    registry.breaker("inventory_service").execute(() -> "ok");
    try (MetricsCollector collector = MetricsCollector.builder(registry)
        .clock(clock).scheduler(scheduler).interval(Duration.ofSeconds(10)).build()) {
      List<Long> sampledAt = Collections.synchronizedList(new ArrayList<>());
      collector.onSample(s -> sampledAt.add(s.epochMillis()));
      collector.start();

      clock.advance(Duration.ofMinutes(1));

      long t0 = ManualClock.DEFAULT_START.toEpochMilli();
      assertThat(sampledAt).containsExactly(t0 + 10_000, t0 + 20_000, t0 + 30_000, t0 + 40_000, t0 + 50_000, t0 + 60_000);
    }
  }

  /**
   * Threads schedule tasks and advance the clock at once: every task runs exactly once, never
   * before its time, and tasks run in the order of their due times.
   */
  @Test
  void concurrentSchedulingAndAdvancingRunEachTaskOnceInTimeOrder() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    AtomicInteger[] runs = new AtomicInteger[threads * perThread];
    long[] due = new long[threads * perThread];
    List<Long> order = Collections.synchronizedList(new ArrayList<>());
    List<String> early = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        Random random = new Random(id);
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          int n = id * perThread + i;
          runs[n] = new AtomicInteger();
          long delay = random.nextInt(1_000);
          synchronized (due) {
            due[n] = clock.read() + delay; // at least this: the clock may move before it is queued
          }
          scheduler.schedule(() -> {
            long now = clock.read();
            synchronized (due) {
              if (now < due[n]) {
                early.add("task " + n + " at " + now + " before " + due[n]);
              }
            }
            order.add(now);
            runs[n].incrementAndGet();
          }, delay, TimeUnit.NANOSECONDS);
          if (random.nextInt(4) == 0) {
            clock.advance(Duration.ofNanos(random.nextInt(300)));
          }
        }
      });
      workers.add(w);
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    clock.advance(Duration.ofSeconds(1));

    assertThat(early).isEmpty();
    for (AtomicInteger r : runs) {
      assertThat(r).hasValue(1);
    }
    assertThat(order).hasSize(threads * perThread).isSorted();
    assertThat(clock.pendingTasks()).isZero();
  }
}
