package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.Permit;
import io.riskmodules.breaker.StateTransition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eight threads, a million calls of random outcomes, a breaker that trips, probes and closes many
 * times over: every call is counted exactly once, at most {@code half_open_max_calls} probes are
 * ever in flight, and every transition is published exactly once, in order.
 */
class ConcurrencyStressTest {

  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 125_000;
  private static final int MAX_PROBES = 3;

  private final AtomicLong nanos = new AtomicLong();
  private final ExecutorService events = Executors.newSingleThreadExecutor();
  private final ExecutorService workers = Executors.newFixedThreadPool(THREADS);
  /** Written by the event thread, read by the test's: both go through the list's lock. */
  private final List<StateTransition> published = Collections.synchronizedList(new ArrayList<>());

  private final CircuitBreakerConfig config = CircuitBreakerConfig.builder()
      .failureThreshold(5)
      .successThreshold(4)
      .halfOpenMaxCalls(MAX_PROBES)
      .openTimeout(Duration.ofMillis(10))
      .countBasedWindow(50)
      .minimumNumberOfCalls(20)
      .halfOpenProbeTimeout(Duration.ofHours(1))
      .disableSlowCallDetection()
      .ignoreExceptions(IgnoredFault.class)
      .build();

  private final CircuitBreaker breaker = CircuitBreaker.builder("stress").config(config)
      .ticker(nanos::get).eventExecutor(events).build();

  @AfterEach
  void stop() throws InterruptedException {
    workers.shutdownNow();
    events.shutdownNow();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  static final class RecordedFault extends RuntimeException {
    RecordedFault() {
      super(null, null, false, false);
    }
  }

  static final class IgnoredFault extends RuntimeException {
    IgnoredFault() {
      super(null, null, false, false);
    }
  }

  /** What the callers saw; the breaker's counts must equal it exactly. */
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder ignored = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  @Test
  void everyCallIsCountedOnceAndEveryTransitionPublishedOnceInOrder() throws Exception {
    breaker.onStateChange(published::add);
    runWorkers(seed -> {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < CALLS_PER_THREAD; i++) {
        maybeAdvanceTime(random);
        int roll = random.nextInt(100);
        try {
          breaker.execute(() -> outcome(roll));
          succeeded.increment();
        } catch (RecordedFault e) {
          failed.increment();
        } catch (IgnoredFault e) {
          ignored.increment();
        } catch (CallNotPermittedException e) {
          rejected.increment();
        }
      }
    });
    assertExactAccounting();
    assertTransitionsPublishedOnceInOrder();
  }

  @Test
  void neverMoreThanHalfOpenMaxCallsProbesInFlight() throws Exception {
    AtomicInteger probesInFlight = new AtomicInteger();
    AtomicInteger mostProbesSeen = new AtomicInteger();
    AtomicLong probes = new AtomicLong();
    breaker.onStateChange(published::add);
    runWorkers(seed -> {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < CALLS_PER_THREAD; i++) {
        maybeAdvanceTime(random);
        Permit permit;
        try {
          permit = breaker.acquirePermit();
        } catch (CallNotPermittedException e) {
          rejected.increment();
          continue;
        }
        boolean probe = ((DefaultCircuitBreaker.TwoStepPermit) permit).grantedIn() == CircuitState.HALF_OPEN;
        if (probe) {
          probes.incrementAndGet();
          int now = probesInFlight.incrementAndGet();
          mostProbesSeen.accumulateAndGet(now, Math::max);
          Thread.yield(); // widen the window in which another probe could slip in
          probesInFlight.decrementAndGet();
        }
        int roll = random.nextInt(100);
        try {
          outcome(roll);
          permit.onSuccess(1_000);
          succeeded.increment();
        } catch (RecordedFault e) {
          permit.onError(1_000, e);
          failed.increment();
        } catch (IgnoredFault e) {
          permit.onError(1_000, e);
          ignored.increment();
        }
      }
    });
    assertThat(probes.get()).as("the run must exercise HALF_OPEN").isGreaterThan(100);
    assertThat(mostProbesSeen.get()).isBetween(1, MAX_PROBES);
    assertExactAccounting();
    assertTransitionsPublishedOnceInOrder();
  }

  /**
   * Each thread's calls go success, 49 failures, success, 49 failures...: any 100 calls in a row,
   * however two threads interleave, hold a success, so a window of 100 tripping only at 100 %
   * must never trip. Positions that ran ahead of the calls once made it trip here.
   */
  @Test
  void concurrentOutcomesKeepTheirPlacesInTheCountWindow() throws Exception {
    CircuitBreaker tight = CircuitBreaker.builder("tight").ticker(nanos::get).eventExecutor(Runnable::run)
        .config(CircuitBreakerConfig.builder().failureThreshold(Integer.MAX_VALUE).failureRateThreshold(1.0)
            .countBasedWindow(100).minimumNumberOfCalls(100).disableSlowCallDetection().build())
        .build();
    List<StateTransition> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
    tight.onStateChange(transitions::add);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      done.add(workers.submit(() -> {
        start.await();
        for (int i = 0; i < 200_000; i++) {
          if (i % 50 == 0) {
            tight.execute(() -> "ok");
          } else {
            try {
              tight.execute(() -> {
                throw new RecordedFault();
              });
            } catch (RecordedFault expected) {
              // recorded
            }
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(5, TimeUnit.MINUTES);
    }
    assertThat(transitions).isEmpty();
    assertThat(tight.status().failureRate()).isLessThan(1.0);
    assertThat(tight.status().totalCalls()).isEqualTo(400_000);
  }

  /**
   * Calls end while another thread resets the breaker again and again, so successes are counted
   * by one window and found late by the next, in every interleaving: each outcome reaches its
   * caller as what the call did (no window arithmetic fails under it), and every call is counted
   * once.
   */
  @Test
  void resetsRacingWithCallsNeverBreakTheCountWindow() throws Exception {
    CircuitBreaker racing = CircuitBreaker.builder("racing").ticker(nanos::get).eventExecutor(Runnable::run)
        .config(CircuitBreakerConfig.builder().failureThreshold(Integer.MAX_VALUE).failureRateThreshold(1.0)
            .countBasedWindow(8).minimumNumberOfCalls(1_000_000).disableSlowCallDetection().build())
        .build();
    AtomicInteger resetting = new AtomicInteger(1);
    Future<?> resets = workers.submit(() -> {
      while (resetting.get() == 1) {
        racing.reset();
      }
      return null;
    });
    LongAdder faults = new LongAdder();
    try {
      runWorkers(3, seed -> { // an exception from the window would surface here
        for (int i = 0; i < 200_000; i++) {
          if (i % 3 == 0) {
            try {
              racing.execute(() -> {
                throw new RecordedFault();
              });
            } catch (RecordedFault expected) {
              faults.increment();
            }
          } else {
            racing.execute(() -> "ok");
          }
        }
      });
    } finally {
      resetting.set(0);
      resets.get(1, TimeUnit.MINUTES);
    }
    CircuitBreakerStatus s = racing.status();
    assertThat(s.totalCalls()).isEqualTo(600_000);
    assertThat(s.failedCalls()).isEqualTo(faults.sum());
    assertThat(s.callsInWindow()).isBetween(0L, 8L);
  }

  private static Object outcome(int roll) {
    if (roll < 35) {
      throw new RecordedFault();
    }
    if (roll < 45) {
      throw new IgnoredFault();
    }
    return roll;
  }

  /** Time moves now and then, so OPEN breakers go HALF_OPEN while other threads call. */
  private void maybeAdvanceTime(SplittableRandom random) {
    if (random.nextInt(400) == 0) {
      nanos.addAndGet(Duration.ofMillis(4).toNanos());
    }
  }

  private interface Worker {
    void run(long seed) throws Exception;
  }

  private void runWorkers(Worker worker) throws Exception {
    runWorkers(THREADS, worker);
  }

  private void runWorkers(int threads, Worker worker) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = 1_000 + t;
      done.add(workers.submit(() -> {
        start.await();
        worker.run(seed);
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(5, TimeUnit.MINUTES);
    }
  }

  private void assertExactAccounting() {
    CircuitBreakerStatus s = breaker.status();
    long calls = (long) THREADS * CALLS_PER_THREAD;
    assertThat(succeeded.sum() + failed.sum() + ignored.sum() + rejected.sum()).isEqualTo(calls);
    assertThat(s.totalCalls()).isEqualTo(calls);
    assertThat(s.successfulCalls()).isEqualTo(succeeded.sum());
    assertThat(s.failedCalls()).isEqualTo(failed.sum());
    assertThat(s.ignoredCalls()).isEqualTo(ignored.sum());
    assertThat(s.rejectedCalls()).isEqualTo(rejected.sum());
    assertThat(rejected.sum()).as("the run must trip the breaker").isGreaterThan(0);
  }

  private void assertTransitionsPublishedOnceInOrder() {
    List<StateTransition> last = breaker.status().lastTransitions();
    long made = last.get(last.size() - 1).sequence();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      synchronized (published) {
        return published.size() >= made;
      }
    });
    List<StateTransition> seen;
    synchronized (published) {
      seen = List.copyOf(published);
    }
    assertThat(made).as("the run must cycle through the states many times").isGreaterThan(100);
    assertThat(seen).hasSize((int) made);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i).sequence()).isEqualTo(i + 1L);
      if (i > 0) {
        assertThat(seen.get(i).from()).as("transition %s follows on from %s", seen.get(i), seen.get(i - 1))
            .isEqualTo(seen.get(i - 1).to());
      }
    }
    assertThat(seen.subList(seen.size() - last.size(), seen.size())).isEqualTo(last);
  }
}
