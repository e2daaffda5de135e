package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defects 2 and 3: races between outcomes recorded at the same moment. Each would need
 * an unlucky interleaving, so each runs many of them on two threads and checks that every one
 * ends as some order of the same outcomes would.
 */
class WindowRacesTest {
  private final ManualTime time = new ManualTime();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("svc").config(config).ticker(time).clock(time).eventExecutor(Runnable::run).build();
  }

  /** Runs {@code body} on two threads started together; rethrows what either threw. */
  private static void onTwoThreads(ThrowingIntConsumer body) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          body.accept(id);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  @FunctionalInterface
  interface ThrowingIntConsumer {
    void accept(int value) throws Exception;
  }

  @Test
  void twoThreadsAlternatingFailureAndSuccessNeverMakeThreeConsecutiveFailures() throws Exception {
    // any interleaving of F S F S ... with F S F S ... has at most two failures in a row
    for (CircuitBreakerConfig.Builder c : new CircuitBreakerConfig.Builder[] {
        CircuitBreakerConfig.builder().countBasedWindow(100), CircuitBreakerConfig.builder().timeBasedWindow(10)}) {
      CircuitBreaker b = breaker(c.failureThreshold(3).failureRateThreshold(1.0).disableSlowCallDetection().build());
      List<StateTransition> transitions = new ArrayList<>();
      b.onStateChange(transitions::add);
      onTwoThreads(id -> {
        for (int i = 0; i < 300_000 && transitions.isEmpty(); i++) {
          Faults.fail(b, 1);
          Faults.succeed(b, 1);
        }
      });
      assertThat(transitions).as("transitions of %s", b.config().slidingWindowType()).isEmpty();
      assertThat(b.status().failedCalls()).isEqualTo(600_000);
    }
  }

  @Test
  void slowSuccessesThatFinishTogetherEachTakeASlotOfTheirOwn() throws Exception {
    // 8 fast then 8 slow calls: a slow-call rate of 8/16 = 50% trips, whatever the interleaving
    int rounds = 1_000;
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().countBasedWindow(16).minimumNumberOfCalls(16)
        .failureThreshold(1_000).slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(0.5).build();
    List<CircuitBreaker> breakers = new ArrayList<>();
    List<List<Permit>> permits = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      CircuitBreaker b = breaker(config);
      List<Permit> slow = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        slow.add(b.acquirePermit());
      }
      for (int i = 0; i < 8; i++) {
        b.acquirePermit().onSuccess(0);
      }
      breakers.add(b);
      permits.add(slow);
    }
    AtomicInteger arrived = new AtomicInteger(); // a spinning barrier: both threads leave it together
    long slowNanos = Duration.ofSeconds(2).toNanos();
    onTwoThreads(id -> {
      for (int r = 0; r < rounds; r++) {
        arrived.incrementAndGet();
        while (arrived.get() < 2 * (r + 1)) {
          Thread.onSpinWait();
        }
        List<Permit> mine = permits.get(r).subList(id * 4, id * 4 + 4);
        for (Permit p : mine) {
          p.onSuccess(slowNanos);
        }
      }
    });
    for (int r = 0; r < rounds; r++) {
      assertThat(breakers.get(r).state()).as("round %d: %s", r, breakers.get(r).status()).isEqualTo(CircuitState.OPEN);
    }
  }
}
