package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.riskmodules.breaker.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coarse ticker's thread runs only while the ticker is read, and no read ever returns a time
 * from before its thread last stopped. Its thread really runs here, with a lease of a few ticks
 * and a short keep-alive, so the tests wait (bounded) for it to stop.
 *
 * <p>A lease is counted in ticks, and on a loaded machine a tick (a park of 100 us) can take
 * milliseconds; so leases here are short, the bounds on waits generous, and no assertion relies
 * on the test thread running again within a lease: between a read and the next statement the
 * thread may already have published its lease out and be WAITING.
 */
class CoarseTickerTest {

  private static final long HOUR = Duration.ofHours(1).toNanos();

  private final AtomicLong source = new AtomicLong(-7 * HOUR); // System.nanoTime may be negative
  private final List<CoarseTicker> made = new ArrayList<>();

  private CoarseTicker ticker(Ticker from, int leaseTicks, long keepAliveNanos) {
    CoarseTicker t = new CoarseTicker(from, 100_000, leaseTicks, keepAliveNanos, "coarse-ticker-test");
    made.add(t);
    return t;
  }

  private static void awaitStopped(CoarseTicker t) {
    await().atMost(Duration.ofSeconds(60)).until(() -> t.state() == CoarseTicker.STOPPED && !t.threadAlive());
  }

  @AfterEach
  void letThreadsEnd() {
    made.forEach(CoarseTickerTest::awaitStopped);
  }

  @Test
  void noThreadUntilTheFirstRead() {
    CoarseTicker t = ticker(source::get, 3, Duration.ofMillis(10).toNanos());
    assertThat(t.state()).isEqualTo(CoarseTicker.STOPPED);
    assertThat(t.threadAlive()).isFalse();
    assertThat(t.read()).isEqualTo(-7 * HOUR);
    assertThat(t.state()).isEqualTo(CoarseTicker.RUNNING);
  }

  @Test
  void theThreadPublishesTheTimeWhileRead() {
    CoarseTicker t = ticker(source::get, 1_000, Duration.ofSeconds(2).toNanos()); // 0.1 s, then a wait
    t.read();
    source.addAndGet(5_000_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> t.read() == -7 * HOUR + 5_000_000);
    assertThat(t.threadAlive()).isTrue();
  }

  @Test
  void theThreadStopsWhenNobodyReadsAndAReadAfterwardsIsNeverOlderThanTheStop() {
    CoarseTicker t = ticker(source::get, 3, Duration.ofMillis(500).toNanos());
    t.read();
    awaitStopped(t);
    source.addAndGet(HOUR);
    assertThat(t.read()).as("not the time last published before the stop").isEqualTo(-6 * HOUR);
    // RUNNING, or WAITING if it already published its lease of three ticks: not STOPPED before the keep-alive
    assertThat(t.state()).as("the read starts a thread again").isNotEqualTo(CoarseTicker.STOPPED);
    assertThat(t.threadAlive()).isTrue();
    awaitStopped(t);
    source.addAndGet(HOUR);
    assertThat(t.read()).isEqualTo(-5 * HOUR);
  }

  @Test
  void aThreadWaitingToBeWantedIsWokenByARead() {
    CoarseTicker t = ticker(source::get, 1, Duration.ofSeconds(2).toNanos());
    t.read();
    await().atMost(Duration.ofSeconds(20)).until(() -> t.state() == CoarseTicker.WAITING);
    source.addAndGet(HOUR);
    assertThat(t.read()).isEqualTo(-6 * HOUR);
    // woken: RUNNING, or WAITING again after its lease of one tick; not exited, as it would be unwoken
    assertThat(t.state()).isNotEqualTo(CoarseTicker.STOPPED);
    assertThat(t.threadAlive()).isTrue();
  }

  /**
   * Readers on four threads while the thread stops and restarts as often as it can (a lease of
   * one tick, a keep-alive of 20 us: it is woken or it exits): each thread's reads never go back,
   * and none is ahead of the source.
   */
  @Test
  void readsOnOneThreadNeverGoBackAcrossStopsAndRestarts() throws Exception {
    AtomicLong reads = new AtomicLong();
    Ticker real = Ticker.system();
    CoarseTicker t = ticker(() -> {
      reads.incrementAndGet();
      return real.read();
    }, 1, 20_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> backwards = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int reader = i;
        backwards.add(pool.submit(() -> {
          go.await();
          long wrong = 0;
          long last = Long.MIN_VALUE;
          for (int k = 0; k < 2_000_000; k++) {
            long r = t.read();
            if (r < last || r > real.read()) {
              wrong++;
            }
            last = r;
            if ((k & 0xFFFF) == reader) {
              Thread.yield(); // let the ticker's thread run between reads now and then
            }
          }
          return wrong;
        }));
      }
      go.countDown();
      for (Future<Long> f : backwards) {
        assertThat(f.get(5, TimeUnit.MINUTES)).as("reads that went back or ahead").isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(reads.get()).as("the source was read, by the thread and by readers").isPositive();
  }
}
