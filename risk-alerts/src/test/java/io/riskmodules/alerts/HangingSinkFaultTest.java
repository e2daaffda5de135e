package io.riskmodules.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * A sink that hangs must not block any breaker call. Eight threads make 100,000 calls that keep
 * opening and closing breakers while the sink hangs, with the breakers' listeners on the calling
 * threads: every call returns (counted), although the sink only returns after all of them. Then
 * every alert routed to each sink is accounted for, delivered or dropped with a reason.
 */
class HangingSinkFaultTest {

  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 12_500;

  @Test
  void oneHundredThousandCallsFromEightThreadsNeverWaitForAHangingSink() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong hangingCalls = new AtomicLong();
    AlertSink hanging = new AlertSink() {
      @Override
      public String name() {
        return "hanging-smtp";
      }

      @Override
      public void deliver(Notification n) throws InterruptedException {
        hangingCalls.incrementAndGet();
        release.await(); // until the test is over: a dead SMTP server
      }
    };
    RecordingSink working = new RecordingSink("pagerduty");
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
        .defaultConfig(CircuitBreakerConfig.builder().failureThreshold(3).successThreshold(1)
            .halfOpenMaxCalls(1).openTimeout(Duration.ofMillis(1)).build())
        .eventExecutor(Runnable::run) // listeners run on the calling thread: the worst case
        .build();
    AlertManager manager = AlertManager.builder().groupWait(Duration.ZERO).evaluationInterval(Duration.ofMillis(5))
        .queueCapacity(64).inboxCapacity(4096)
        .sink(hanging).sink(working).build();
    manager.attach(registry);
    LongAdder transitions = new LongAdder();

    LongAdder returned = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        List<CircuitBreaker> mine = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
          CircuitBreaker b = registry.breaker("svc-" + id + "-" + k);
          b.onStateChange(x -> transitions.increment());
          mine.add(b);
        }
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
          CircuitBreaker b = mine.get(i % 4);
          boolean fail = (i / 4) % 4 != 3; // three failures then a success, per breaker
          try {
            b.execute(() -> {
              if (fail) {
                throw new IllegalStateException("down");
              }
              return "ok";
            });
          } catch (IllegalStateException | CallNotPermittedException expected) {
            // counted below like any other call
          }
          returned.increment();
        }
      }, "caller-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(2)); // a safety net only: the assertion counts
    }

    // Every call returned while the sink was still hanging.
    assertThat(returned.sum()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(release.getCount()).isEqualTo(1);
    assertThat(transitions.sum()).as("breakers opened and closed").isGreaterThan(100);

    boolean drained = manager.close(Duration.ofMillis(500));
    release.countDown();
    assertThat(drained).isFalse(); // the hanging sink could not drain

    List<SinkStats> stats = manager.stats();
    SinkStats stuck = stats.get(0);
    SinkStats fine = stats.get(1);
    for (SinkStats s : stats) {
      assertThat(s.queued()).isZero();
      assertThat(s.routed()).as(s.toString()).isEqualTo(s.delivered() + s.droppedTotal());
    }
    assertThat(stuck.routed()).isPositive();
    assertThat(stuck.delivered()).isZero();
    assertThat(stuck.dropped(DropReason.SHUTDOWN)).isPositive();
    assertThat(stuck.dropped(DropReason.SHUTDOWN) + stuck.dropped(DropReason.QUEUE_FULL)).isEqualTo(stuck.routed());
    assertThat(hangingCalls.get()).isEqualTo(1);
    assertThat(fine.delivered()).isPositive();
    assertThat(working.lines().size()).isEqualTo((int) fine.delivered());
  }
}
