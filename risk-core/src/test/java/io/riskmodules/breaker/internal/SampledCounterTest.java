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
  void aQuietCounterReadsTheClockOnceEveryCheckEveryCalls() {
    List<Long> readAtCall = new ArrayList<>();
    long[] call = {0};
    Ticker noting = () -> {
      readAtCall.add(call[0]);
      return nanos.get();
    };
    long check = SampledCounter.CHECK_EVERY;
    for (call[0] = 1; call[0] <= 10 * check; call[0]++) {
      nanos.addAndGet(10 * MILLI); // 100 calls a second: every call is looked at
      counter.incrementAndSample(noting);
    }
    List<Long> expected = new ArrayList<>();
    for (long n = 1; n <= 10 * check; n += check) {
      expected.add(n);
    }
    assertThat(readAtCall).containsExactlyElementsOf(expected);
  }

  @Test
  void aCounterBusyFromItsFirstCallShowsEveryCallOnlyForItsFirstTwoChecks() {
    List<Integer> shown = run(100_000, 100); // ten million calls a second from the first one
    assertThat(shown.subList(0, (int) SampledCounter.CHECK_EVERY)).containsOnly(1);
    assertThat(shown.stream().filter(w -> w == 1).count()).isLessThanOrEqualTo(2 * SampledCounter.CHECK_EVERY);
    assertThat(sum(shown)).isGreaterThan(100_000 - 4_096);
  }

  @Test
  void atASteadyRateTheCallsShownAreHalfToOneAndAHalfSpacingsApartAndSpreadOverThatRange() {
    run(3_000_000, 1_000); // a million calls a second: a spacing of 2,048 once learnt
    List<Integer> shown = run(20_000_000, 1_000); // twenty periods, each starting with a check
    long spacing = 2_048;
    long look = SampledCounter.CHECK_EVERY; // a call is shown at the first look once due
    assertThat(shown).allSatisfy(w -> assertThat((long) w).isBetween(spacing / 2, spacing * 3 / 2 + look));
    long middle = shown.stream().filter(w -> w >= spacing * 3 / 4 && w < spacing * 5 / 4).count();
    // uniform distances put about half of them in the middle half of the range
    assertThat((double) middle / shown.size()).isBetween(0.35, 0.65);
  }

  @Test
  void aFullPeriodAtALowerRateLowersTheSpacingAndLessThanAPeriodDoesNot() {
    // a burst at one instant sets a spacing of 512; then 2,000 calls or so at that rate
    assertThat(shownAfterAPause(SampledCounter.PERIOD_NANOS, 2_000)).isGreaterThan(50);
    assertThat(shownAfterAPause(SampledCounter.PERIOD_NANOS - 1, 2_000)).isLessThan(20);
  }

  @Test
  void aPauseOfTwoPeriodsShowsEveryCallAgainAndAShorterOneIsMeasuredAsARate() {
    int check = (int) SampledCounter.CHECK_EVERY;
    SampledCounter afterTwo = new SampledCounter();
    List<Integer> shown = burstThenPause(afterTwo, 2 * SampledCounter.PERIOD_NANOS, 1_000);
    assertThat(shown.size()).isGreaterThanOrEqualTo(check);
    assertThat(shown.subList(shown.size() - check, shown.size())).containsOnly(1);

    SampledCounter afterLess = new SampledCounter();
    shown = burstThenPause(afterLess, 2 * SampledCounter.PERIOD_NANOS - 1, 1_000);
    assertThat(shown.size()).isLessThan(1_000 - check);
  }

  private int shownAfterAPause(long pauseNanos, int calls) {
    return burstThenPause(new SampledCounter(), pauseNanos, calls).size();
  }

  /**
   * A cell busy from the start at one instant (its first period ends after CHECK_EVERY calls, with
   * a spacing of 512), 2,000 calls more at that instant, then {@code calls} calls all at {@code
   * pauseNanos} later: the period in which they come started exactly at that instant.
   */
  private List<Integer> burstThenPause(SampledCounter cell, long pauseNanos, int calls) {
    long start = nanos.get();
    Ticker at = nanos::get;
    for (int i = 0; i < SampledCounter.CHECK_EVERY + 1 + 2_000; i++) {
      cell.incrementAndSample(at);
    }
    nanos.set(start + pauseNanos);
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      int weight = cell.incrementAndSample(at);
      if (weight != SampledCounter.SKIP) {
        shown.add(weight);
      }
    }
    nanos.set(start);
    return shown;
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
