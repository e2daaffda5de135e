package io.riskmodules.metrics;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the latency histogram's interval scheme: whatever the interleaving of writers
 * (adding to a bucket, setting its bit and its chunk's bit, making the chunk) and of the reader
 * taking intervals, once all are done and a last interval is taken, every value recorded has been
 * taken exactly once. The values fall in two chunks, in both bit words of one, two of them in the
 * same word, so that writers meet on the words the reader clears.
 */
public class IntervalHistogramLincheckTest {
  /** 5 ns (chunk 0); 5 ms and 5.1 ms (chunk 16, the first bit word); 7 ms (chunk 16, the second). */
  private static final long[] VALUES = {5, 5_000_000, 5_100_000, 7_000_000};
  private static final int[] INDEXES = Arrays.stream(VALUES)
      .mapToInt(v -> IntervalHistogram.chunkOf(v) * 128 + IntervalHistogram.slotOf(v, IntervalHistogram.chunkOf(v)))
      .toArray();

  private final IntervalHistogram histogram = new IntervalHistogram();
  private final AtomicLongArray recorded = new AtomicLongArray(VALUES.length);
  /** Taken by the reader, which Lincheck runs on one thread at a time (nonParallelGroup). */
  private final long[] taken = new long[VALUES.length];
  private long strays;

  private void record(int which) {
    int weight = which + 1;
    histogram.record(VALUES[which], weight);
    recorded.addAndGet(which, weight);
  }

  @Operation
  public void recordTiny() {
    record(0);
  }

  @Operation
  public void recordFiveMillis() {
    record(1);
  }

  @Operation
  public void recordFivePointOneMillis() {
    record(2);
  }

  @Operation
  public void recordSevenMillis() {
    record(3);
  }

  @Operation(nonParallelGroup = "reader")
  public void takeInterval() {
    histogram.nextInterval();
    for (int i = 0; i < histogram.buckets(); i++) {
      int which = Arrays.binarySearch(INDEXES, histogram.bucketIndex(i));
      if (which < 0) {
        strays += histogram.bucketCount(i);
      } else {
        taken[which] += histogram.bucketCount(i);
      }
    }
  }

  @Validate
  public void everyValueTakenExactlyOnce() {
    takeInterval();
    long[] expected = new long[VALUES.length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = recorded.get(i);
    }
    if (strays != 0 || !Arrays.equals(taken, expected)) {
      throw new AssertionError("taken " + Arrays.toString(taken) + " (and " + strays + " elsewhere), recorded "
          + Arrays.toString(expected));
    }
  }

  @Test
  void everyValueLandsInExactlyOneInterval() {
    assertThatCode(() -> new ModelCheckingOptions()
        .iterations(15)
        .invocationsPerIteration(200)
        .threads(3)
        .actorsPerThread(3)
        // the first invocations instrument the classes; on a loaded machine that can take longer
        // than the 30 s Lincheck allows an invocation before it reports a hang
        .invocationTimeout$lincheck(180_000)
        .check(getClass()))
        .as("model check").doesNotThrowAnyException();
  }
}
