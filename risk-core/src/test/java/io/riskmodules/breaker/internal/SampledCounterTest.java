package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.riskmodules.breaker.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SampledCounterTest {

  private static final long MILLI = 1_000_000L;

  private final AtomicLong nanos = new AtomicLong(-5_000 * MILLI); // System.nanoTime may be negative too
  private final Ticker ticker = nanos::get;
  private final SampledCounter counter = new SampledCounter();

  /** Makes {@code calls} calls, {@code gapNanos} apart, and returns the weights shown. */
  private List<Integer> run(long calls, long gapNanos) {
    List<Integer> shown = new ArrayList<>();
    for (long i = 0; i < calls; i++) {
      nanos.addAndGet(gapNanos);
      int weight = counter.incrementAndSample(ticker);
      if (weight != SampledCounter.SKIP) {
        shown.add(weight);
      }
    }
    return shown;
  }

  private static long sum(List<Integer> weights) {
    return weights.stream().mapToLong(Integer::longValue).sum();
  }

  @Test
  void aQuietCounterShowsEveryCallWithWeightOne() {
    List<Integer> shown = run(2_000, 10 * MILLI); // 100 calls a second
    assertThat(shown).hasSize(2_000).containsOnly(1);
    assertThat(counter.sum()).isEqualTo(2_000);
  }

  @Test
  void aBusyCounterShowsAFewHundredCallsASecondAndTheWeightsAddUpToTheCalls() {
    run(1_000_000, 1_000); // a second at a million calls a second: the cell learns the rate
    long before = counter.sum();
    List<Integer> shown = run(9_000_000, 1_000);
    assertThat(counter.sum() - before).isEqualTo(9_000_000);
    assertThat((long) shown.size()).isBetween(9L * 200, 9L * 512);
    // every call is in some shown call's weight, but those after the last one shown
    assertThat(9_000_000 - sum(shown)).isBetween(-4_096L, 4_096L);
  }

  @Test
  void whenABusyCounterGoesQuietItShowsEveryCallAgainWithinTwoChecks() {
    run(5_000_000, 1_000);
    // a check comes at the first look after CHECK_EVERY calls, and looks are at most CHECK_EVERY apart
    int check = (int) SampledCounter.CHECK_EVERY;
    List<Integer> shown = run(4L * check, 2_000 * MILLI);
    assertThat(shown.size()).isGreaterThanOrEqualTo(2 * check);
    assertThat(shown.subList(shown.size() - 2 * check, shown.size())).containsOnly(1);
  }

  @Test
  void aSuddenBurstIsThinnedOutWithinAFewThousandCalls() {
    run(100, 100 * MILLI);
    List<Integer> shown = run(1_000_000, 100); // ten million calls a second, from nothing
    assertThat(shown.size()).isLessThan(3_000);
    assertThat(sum(shown)).isGreaterThan(1_000_000 - 100_000);
  }

  @Test
  void trafficWithAPeriodOfItsOwnIsNotSampledAtOnePhase() {
    run(1_000_000, 1_000);
    long slowWeight = 0;
    long allWeight = 0;
    for (long i = 0; i < 4_000_000; i++) { // every fourth call goes to a slow replica
      nanos.addAndGet(1_000);
      int weight = counter.incrementAndSample(ticker);
      allWeight += weight;
      if (i % 4 == 0) {
        slowWeight += weight;
      }
    }
    assertThat((double) slowWeight / allWeight).isCloseTo(0.25, within(0.05)); // about 2,000 shown: 5 sigma
  }

  @Test
  void concurrentIncrementsAreEachCountedOnce() throws Exception {
    int threads = 8;
    int perThread = 200_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Long>> weights = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        weights.add(pool.submit(() -> {
          start.await();
          long total = 0;
          for (int i = 0; i < perThread; i++) {
            total += counter.incrementAndSample(Ticker.system());
          }
          return total;
        }));
      }
      start.countDown();
      long shownWeight = 0;
      for (Future<Long> f : weights) {
        shownWeight += f.get();
      }
      assertThat(counter.sum()).isEqualTo((long) threads * perThread);
      assertThat(shownWeight).isPositive(); // a race on one cell can shift a weight: not exact
    } finally {
      pool.shutdownNow();
    }
  }
}
