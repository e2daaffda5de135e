package io.riskmodules.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Durations in nanoseconds, recorded by any number of threads and read interval by interval by
 * one reader, which pays for the buckets written in the interval only, not for the range of
 * values the histogram covers.
 *
 * <pre>{@code
 * IntervalHistogram h = new IntervalHistogram();
 * h.record(nanos, weight);            // callers' threads, lock-free
 * h.nextInterval();                   // the reader: takes what was recorded since its last call
 * long p99 = h.valueAtPercentile(99); // of that interval
 * }</pre>
 *
 * <p>Buckets are HdrHistogram's at two significant digits (a {@code Histogram(2)}): 0 to 255 ns
 * one each, then 128 buckets of equal width per power of two, each bucket reported as its
 * highest value; percentiles are counted as {@code getValueAtPercentile} counts them. The same
 * values give the same percentiles and maximum as a {@code Histogram(2)}, so replacing the
 * HdrHistogram {@code Recorder} changed no figure a sample carries.
 *
 * <p>Layout: 57 chunks of 128 buckets (values below 128, below 256, then one chunk per power of
 * two up to {@code Long.MAX_VALUE}), each made on its first value. A chunk starts with two
 * words, a bit per bucket written since the reader last looked; a {@link #mask} word has a bit
 * per chunk written. A writer adds to the bucket, then sets the bucket's bit if not set, then the
 * chunk's bit if not set; the reader takes (reads and zeroes) the mask, then the bit words of the
 * chunks it names, then the buckets those name. Why no value is lost nor read twice: each bucket
 * is only ever taken with an atomic get-and-set, so each addition is taken once at most; and a
 * writer's bits are set (or seen set) after its addition, while the reader clears a bit before it
 * takes the buckets it names, so the first round that takes the mask after the writer set (or saw)
 * the chunk's bit finds the bucket's bit still set (or cleared by the round before it, which took
 * the bucket after the addition) and takes the addition. A value whose writer is still between
 * its addition and its bits lands in a later interval: every value lands in exactly one. An
 * interval is not a cut at one instant, though: of two values recorded one after the other while
 * the reader takes it, the second may land in it and the first in the next (HdrHistogram's
 * {@code Recorder} gave a cut, at the cost of a phase flip writers had to pass). Percentiles over
 * a second do not notice.
 *
 * <p>Recording is one atomic addition and two reads of words nearly always already set (an atomic
 * or the first time a bucket or chunk is written in an interval), no lock; HdrHistogram's
 * {@code Recorder} took six atomics per value, and its {@code ConcurrentHistogram} a lock per
 * bucket read, about 2,000 buckets for latencies of a few ms.
 *
 * <p>{@link #record} is thread-safe; the other methods are the reader's, one thread at a time.
 */
final class IntervalHistogram {

  /** Buckets per chunk: HdrHistogram's half sub-bucket count at two significant digits. */
  private static final int SUB_BUCKETS = 128;
  /** Chunks: values below 128, below 256, then each power of two up to 2^63. */
  private static final int CHUNKS = 57;
  /** Bit words at the head of a chunk, one bit per bucket. */
  private static final int BIT_WORDS = SUB_BUCKETS / 64;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle CHUNK = MethodHandles.arrayElementVarHandle(long[][].class);
  private static final VarHandle MASK;

  static {
    try {
      MASK = MethodHandles.lookup().findVarHandle(IntervalHistogram.class, "mask", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long[][] chunks = new long[CHUNKS][];
  /** A bit per chunk with a bucket bit set since the reader took this. */
  private volatile long mask;

  // The reader's view of the last interval taken: its non-empty buckets in ascending order.
  private int[] indexes = new int[8];
  private long[] counts = new long[8];
  private int size;
  private long total;

  /** Adds {@code count} values of {@code nanos} (negative ones count as 0). Thread-safe, lock-free. */
  void record(long nanos, long count) {
    long value = Math.max(0, nanos);
    int chunk = chunkOf(value);
    long[] c = (long[]) CHUNK.getAcquire(chunks, chunk);
    if (c == null) {
      c = allocate(chunk);
    }
    int slot = slotOf(value, chunk);
    LONGS.getAndAdd(c, BIT_WORDS + slot, count);
    // Both reads are volatile: they must not move before the addition (see the class comment).
    int word = slot >>> 6;
    long bit = 1L << slot;
    if (((long) LONGS.getVolatile(c, word) & bit) == 0) {
      LONGS.getAndBitwiseOr(c, word, bit);
    }
    long chunkBit = 1L << chunk;
    if ((mask & chunkBit) == 0) {
      MASK.getAndBitwiseOr(this, chunkBit);
    }
  }

  private long[] allocate(int chunk) {
    long[] fresh = new long[BIT_WORDS + SUB_BUCKETS];
    long[] won = (long[]) CHUNK.compareAndExchange(chunks, chunk, (long[]) null, fresh);
    return won == null ? fresh : won;
  }

  /**
   * Takes everything recorded since the previous call (by writers that finished; one still
   * writing lands in a later interval) as the interval the other methods read. Reader only.
   */
  void nextInterval() {
    size = 0;
    total = 0;
    if (mask == 0) {
      return;
    }
    long chunkBits = (long) MASK.getAndSet(this, 0L);
    while (chunkBits != 0) {
      int chunk = Long.numberOfTrailingZeros(chunkBits);
      chunkBits &= chunkBits - 1;
      long[] c = (long[]) CHUNK.getVolatile(chunks, chunk);
      for (int word = 0; word < BIT_WORDS; word++) {
        if ((long) LONGS.getVolatile(c, word) == 0) {
          continue;
        }
        long bits = (long) LONGS.getAndSet(c, word, 0L);
        while (bits != 0) {
          int slot = word * 64 + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          long n = (long) LONGS.getAndSet(c, BIT_WORDS + slot, 0L);
          if (n != 0) {
            add(chunk * SUB_BUCKETS + slot, n);
          }
        }
      }
    }
  }

  private void add(int index, long count) {
    if (size == indexes.length) {
      indexes = Arrays.copyOf(indexes, size * 2);
      counts = Arrays.copyOf(counts, size * 2);
    }
    indexes[size] = index;
    counts[size] = count;
    size++;
    total += count;
  }

  /** Values in the interval taken last. */
  long totalCount() {
    return total;
  }

  /**
   * The value at {@code percentile} (0 to 100) of the interval taken last, as HdrHistogram's
   * {@code getValueAtPercentile} gives it: the highest value of the first bucket where the count
   * reaches {@code percentile} % of the values (at least the first value; the lowest value of
   * that bucket for percentile 0). 0 when the interval is empty.
   */
  long valueAtPercentile(double percentile) {
    if (size == 0) {
      return 0;
    }
    long wanted = countAt(percentile, total);
    long seen = 0;
    for (int i = 0; i < size; i++) {
      seen += counts[i];
      if (seen >= wanted) {
        return percentile == 0.0 ? lowestOf(indexes[i]) : highestOf(indexes[i]);
      }
    }
    return highestOf(indexes[size - 1]);
  }

  /**
   * The values at {@code percentiles} (ascending), in one walk, into {@code out}: each as {@link
   * #valueAtPercentile} gives it.
   */
  void valuesAtPercentiles(double[] percentiles, long[] out) {
    int next = 0;
    if (size > 0) {
      long wanted = countAt(percentiles[0], total);
      long seen = 0;
      for (int i = 0; i < size; i++) {
        seen += counts[i];
        while (seen >= wanted) {
          out[next] = percentiles[next] == 0.0 ? lowestOf(indexes[i]) : highestOf(indexes[i]);
          if (++next == percentiles.length) {
            return;
          }
          wanted = countAt(percentiles[next], total);
        }
      }
    }
    for (; next < percentiles.length; next++) {
      out[next] = size == 0 ? 0 : highestOf(indexes[size - 1]);
    }
  }

  /** The highest value of the highest bucket of the interval taken last (HdrHistogram's {@code getMaxValue}); 0 when empty. */
  long maxValue() {
    return size == 0 ? 0 : highestOf(indexes[size - 1]);
  }

  /** As {@code getValueAtPercentile} counts: a hair under the percentile, so that rounding up never overshoots. */
  private static long countAt(double percentile, long total) {
    double requested = Math.min(Math.max(Math.nextDown(percentile), 0.0), 100.0);
    return Math.max(1, (long) Math.ceil(requested * total / 100.0));
  }

  static int chunkOf(long value) {
    return 57 - Long.numberOfLeadingZeros(value | (SUB_BUCKETS - 1));
  }

  static int slotOf(long value, int chunk) {
    return (int) (value >>> shiftOf(chunk)) & (SUB_BUCKETS - 1);
  }

  /** log2 of the width of a chunk's buckets: chunks 0 and 1 hold a value each. */
  private static int shiftOf(int chunk) {
    return Math.max(chunk - 1, 0);
  }

  static long lowestOf(int index) {
    int chunk = index / SUB_BUCKETS;
    long slot = index % SUB_BUCKETS;
    return chunk == 0 ? slot : (SUB_BUCKETS + slot) << (chunk - 1);
  }

  static long highestOf(int index) {
    long lowest = lowestOf(index);
    return lowest + (1L << shiftOf(index / SUB_BUCKETS)) - 1;
  }

  // The interval taken last, bucket by bucket in ascending order (for tests).

  int buckets() {
    return size;
  }

  int bucketIndex(int i) {
    return indexes[i];
  }

  long bucketCount(int i) {
    return counts[i];
  }
}
