package io.riskmodules.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class IntervalHistogramTest {

  @Test
  void valuesBelow256AreExact() {
    IntervalHistogram h = new IntervalHistogram();
    for (int v = 1; v <= 100; v++) {
      h.record(v, 1);
    }
    h.nextInterval();
    assertThat(h.totalCount()).isEqualTo(100);
    assertThat(h.valueAtPercentile(0)).isEqualTo(1);
    assertThat(h.valueAtPercentile(50)).isEqualTo(50);
    assertThat(h.valueAtPercentile(95)).isEqualTo(95);
    assertThat(h.valueAtPercentile(99)).isEqualTo(99);
    assertThat(h.valueAtPercentile(100)).isEqualTo(100);
    assertThat(h.maxValue()).isEqualTo(100);
  }

  @Test
  void largerValuesReportTheTopOfTheirBucketOf128PerPowerOfTwo() {
    IntervalHistogram h = new IntervalHistogram();
    for (int ms = 1; ms <= 100; ms++) {
      h.record(ms * 1_000_000L, 1);
    }
    h.nextInterval();
    // 50 ms lies in [2^25, 2^26): buckets 2^18 wide; 50,000,000 >> 18 = 190
    assertThat(h.valueAtPercentile(50)).isEqualTo(190L * (1 << 18) + (1 << 18) - 1).isEqualTo(50_069_503L);
    // 99 ms and 100 ms lie in [2^26, 2^27): buckets 2^19 wide, 188 and 190 of them
    assertThat(h.valueAtPercentile(99)).isEqualTo(99_090_431L);
    assertThat(h.maxValue()).isEqualTo(100_139_007L);
    assertThat(h.valueAtPercentile(0)).as("percentile 0: the lowest value of the first bucket").isEqualTo(999_424L);
  }

  @Test
  void weightsCountAsThatManyValues() {
    IntervalHistogram h = new IntervalHistogram();
    h.record(10, 98);
    h.record(200, 1);
    h.record(250, 1);
    h.nextInterval();
    assertThat(h.totalCount()).isEqualTo(100);
    assertThat(h.valueAtPercentile(98)).isEqualTo(10);
    assertThat(h.valueAtPercentile(99)).isEqualTo(200);
    assertThat(h.valueAtPercentile(99.5)).isEqualTo(250);
  }

  @Test
  void negativeDurationsCountAsZeroAndTheLargestLongFits() {
    IntervalHistogram h = new IntervalHistogram();
    h.record(-5, 1);
    h.record(Long.MAX_VALUE, 1);
    h.nextInterval();
    assertThat(h.valueAtPercentile(50)).isZero();
    assertThat(h.maxValue()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void anEmptyIntervalReadsZero() {
    IntervalHistogram h = new IntervalHistogram();
    h.nextInterval();
    assertThat(h.totalCount()).isZero();
    assertThat(h.valueAtPercentile(99)).isZero();
    assertThat(h.maxValue()).isZero();
    long[] out = new long[3];
    h.valuesAtPercentiles(new double[] {50, 95, 99}, out);
    assertThat(out).containsExactly(0, 0, 0);
  }

  @Test
  void eachIntervalHoldsWhatWasRecordedSinceThePreviousOne() {
    IntervalHistogram h = new IntervalHistogram();
    h.record(5_000_000, 3);
    h.nextInterval();
    assertThat(h.totalCount()).isEqualTo(3);
    h.record(7, 1);
    h.record(9, 1);
    h.nextInterval();
    assertThat(h.totalCount()).isEqualTo(2);
    assertThat(h.maxValue()).as("the 5 ms values went with the interval before").isEqualTo(9);
    h.nextInterval();
    assertThat(h.totalCount()).isZero();
    h.record(5_000_000, 1);
    h.nextInterval();
    assertThat(h.totalCount()).as("a bucket emptied is written again").isEqualTo(1);
  }

  /** The figures a sample carries did not change when this replaced HdrHistogram's Recorder. */
  @Test
  void percentilesAndMaxAreThoseOfAnHdrHistogramWithTwoDigits() {
    SplittableRandom random = new SplittableRandom(7);
    IntervalHistogram mine = new IntervalHistogram();
    double[] percentiles = {0, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100};
    for (int round = 0; round < 2_000; round++) {
      Histogram hdr = new Histogram(2);
      int values = round % 10 == 0 ? random.nextInt(1, 5) : random.nextInt(1, 400);
      for (int i = 0; i < values; i++) {
        long v = random.nextLong(0, 1L << random.nextInt(1, 50));
        int weight = random.nextInt(4) == 0 ? random.nextInt(1, 1_000) : 1;
        hdr.recordValueWithCount(v, weight);
        mine.record(v, weight);
      }
      mine.nextInterval();
      assertThat(mine.totalCount()).isEqualTo(hdr.getTotalCount());
      assertThat(mine.maxValue()).isEqualTo(hdr.getMaxValue());
      long[] oneWalk = new long[percentiles.length];
      mine.valuesAtPercentiles(percentiles, oneWalk);
      for (int p = 0; p < percentiles.length; p++) {
        assertThat(mine.valueAtPercentile(percentiles[p])).as("p%s of round %d", percentiles[p], round)
            .isEqualTo(hdr.getValueAtPercentile(percentiles[p]));
        assertThat(oneWalk[p]).isEqualTo(hdr.getValueAtPercentile(percentiles[p]));
      }
    }
  }

  @Test
  void bucketBoundsMatchHdrHistogram() {
    Histogram hdr = new Histogram(2);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      long v = random.nextLong(0, 1L << random.nextInt(1, 62));
      int chunk = IntervalHistogram.chunkOf(v);
      int index = chunk * 128 + IntervalHistogram.slotOf(v, chunk);
      assertThat(IntervalHistogram.lowestOf(index)).isEqualTo(hdr.lowestEquivalentValue(v));
      assertThat(IntervalHistogram.highestOf(index)).isEqualTo(hdr.highestEquivalentValue(v));
    }
  }

  /**
   * Writers record while the reader takes intervals: every value lands in exactly one interval,
   * counted bucket by bucket. The writers wait halfway for the reader to have taken a non-empty
   * interval, so intervals are taken while values are being recorded.
   */
  @Test
  void concurrentWritersLoseNoValueAndNoneIsTakenTwice() throws InterruptedException {
    IntervalHistogram h = new IntervalHistogram();
    int writers = 4;
    int perWriter = 200_000;
    Map<Integer, Long> expected = new HashMap<>();
    long[][] values = new long[writers][perWriter];
    int[][] weights = new int[writers][perWriter];
    SplittableRandom random = new SplittableRandom(11);
    for (int w = 0; w < writers; w++) {
      for (int i = 0; i < perWriter; i++) {
        // few buckets, so that writers meet on the same buckets and bit words
        values[w][i] = random.nextInt(4) == 0 ? random.nextLong(0, 1L << 40) : 1_000_000L + random.nextInt(8) * 100_000L;
        weights[w][i] = random.nextInt(1, 4);
        expected.merge(indexOf(values[w][i]), (long) weights[w][i], Long::sum);
      }
    }
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch readerTookSome = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    Map<Integer, Long> taken = new HashMap<>();
    int[] nonEmptyIntervals = new int[1];
    AtomicReference<Throwable> readerFailed = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      start.countDown();
      try {
        while (writing.get()) {
          if (take(h, taken) > 0) {
            nonEmptyIntervals[0]++;
            readerTookSome.countDown();
          }
          Thread.onSpinWait();
        }
      } catch (Throwable e) {
        readerFailed.set(e);
      } finally {
        readerTookSome.countDown();
      }
    });
    Thread[] threads = new Thread[writers];
    for (int w = 0; w < writers; w++) {
      int me = w;
      threads[w] = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perWriter; i++) {
            if (i == perWriter / 2) {
              readerTookSome.await();
            }
            h.record(values[me][i], weights[me][i]);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      threads[w].start();
    }
    reader.start();
    for (Thread t : threads) {
      t.join();
    }
    writing.set(false);
    reader.join();
    assertThat(readerFailed.get()).isNull();
    take(h, taken); // what the writers finished after the reader's last interval
    assertThat(nonEmptyIntervals[0]).isGreaterThanOrEqualTo(1);
    assertThat(taken).isEqualTo(expected);
    h.nextInterval();
    assertThat(h.totalCount()).as("nothing left behind").isZero();
  }

  private static int indexOf(long value) {
    int chunk = IntervalHistogram.chunkOf(value);
    return chunk * 128 + IntervalHistogram.slotOf(value, chunk);
  }

  private static long take(IntervalHistogram h, Map<Integer, Long> into) {
    h.nextInterval();
    long sum = 0;
    for (int i = 0; i < h.buckets(); i++) {
      assertThat(h.bucketCount(i)).isPositive();
      if (i > 0) {
        assertThat(h.bucketIndex(i)).isGreaterThan(h.bucketIndex(i - 1));
      }
      into.merge(h.bucketIndex(i), h.bucketCount(i), Long::sum);
      sum += h.bucketCount(i);
    }
    assertThat(sum).isEqualTo(h.totalCount());
    return sum;
  }
}
