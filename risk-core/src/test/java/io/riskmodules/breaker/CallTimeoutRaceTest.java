package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Calls that end while their deadline fires, on four threads, with a fifth moving the manual time
 * (and so running the deadlines) all along: every call is counted exactly once, either by its end
 * or by its deadline, and no interrupt the breaker delivered is left on a caller's thread.
 */
class CallTimeoutRaceTest {

  @Test
  void everyCallIsCountedOnceWhicheverOfItsEndAndItsDeadlineComesFirst() throws Exception {
    ScheduledTime time = new ScheduledTime();
    CircuitBreaker b = CircuitBreaker.builder("race").ticker(time).clock(time).scheduler(time.scheduler())
        .eventExecutor(Runnable::run)
        .config(CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(1)).interruptOnCallTimeout(true)
            .failureThreshold(Integer.MAX_VALUE).minimumNumberOfCalls(Integer.MAX_VALUE).build())
        .build();
    // shadow mode: records like CLOSED but never rejects. The thresholds above do not keep a CLOSED
    // breaker closed: the minimum is capped at the window's 100 calls, and when the clock thread
    // races ahead of descheduled callers (a loaded machine) most calls time out, and the failure
    // or slow-call rate trips it, after which a rejection would end a worker
    b.transitionTo(CircuitState.METRICS_ONLY);
    LongAdder events = new LongAdder();
    LongAdder timeouts = new LongAdder();
    LongAdder successEvents = new LongAdder();
    b.onCall(e -> {
      events.increment();
      if (e.error() instanceof TimeoutException) {
        timeouts.increment();
      } else if (e.outcome() == CallOutcome.SUCCESS) {
        successEvents.increment();
      }
    });
    int threads = 4;
    int callsEach = 20_000;
    AtomicBoolean done = new AtomicBoolean();
    LongAdder leakedInterrupts = new LongAdder();
    LongAdder thrown = new LongAdder();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        workers.add(pool.submit(() -> {
          SplittableRandom r = new SplittableRandom(seed);
          for (int i = 0; i < callsEach; i++) {
            int spins = r.nextInt(300);
            boolean fail = r.nextInt(5) == 0;
            try {
              b.execute(() -> {
                for (int s = 0; s < spins; s++) {
                  Thread.onSpinWait();
                }
                if (fail) {
                  throw new IllegalStateException("boom");
                }
                return "ok";
              });
            } catch (IllegalStateException expected) {
              thrown.increment();
            }
            if (Thread.interrupted()) {
              leakedInterrupts.increment();
            }
          }
        }));
      }
      Future<?> clock = pool.submit(() -> {
        while (!done.get()) {
          time.advance(Duration.ofNanos(250_000));
        }
      });
      for (Future<?> w : workers) {
        w.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      clock.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    time.advance(Duration.ofSeconds(1));
    long total = (long) threads * callsEach;
    CircuitBreakerStatus s = b.status();
    assertThat(s.totalCalls()).isEqualTo(total);
    assertThat(s.successfulCalls() + s.failedCalls()).isEqualTo(total);
    assertThat(events.sum()).as("one call event per call").isEqualTo(total);
    assertThat(successEvents.sum()).isEqualTo(s.successfulCalls());
    assertThat(timeouts.sum()).as("some calls lost to their deadline").isPositive();
    assertThat(timeouts.sum()).as("and some did not").isLessThan(total);
    // every timed-out call is slow; a call may also end slow but counted by its end when the timer
    // runs late (the clock thread races far ahead of a descheduled caller)
    assertThat(s.slowCalls()).as("timed-out calls are slow").isGreaterThanOrEqualTo(timeouts.sum());
    assertThat(s.failedCalls()).as("failures: timed out, or thrown in time")
        .isBetween(timeouts.sum(), timeouts.sum() + thrown.sum());
    assertThat(leakedInterrupts.sum()).as("interrupts left on callers' threads").isZero();
    assertThat(time.pending()).as("no deadline left scheduled").isZero();
  }
}
