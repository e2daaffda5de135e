package io.riskmodules.metrics.internal;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HdrHistogram recorders striped by thread, recording every call up to {@link #EXACT} per stripe
 * and interval and then one call in {@link #SAMPLE_EVERY}, weighted by {@link #SAMPLE_EVERY}.
 *
 * <p>Why: a recorder write costs about 40 ns here (the atomic increments of HdrHistogram's
 * writer phaser and counts), five times a whole breaker call; and one shared recorder cost
 * 600 ns a call at two threads. Striping removes the contention (a thread always writes the same
 * stripe, chosen from its id, so consecutive pool threads get different stripes) and weighted
 * sampling keeps the percentiles unbiased while a busy breaker pays about a nanosecond a call.
 * Quiet breakers are recorded exactly. The per-stripe counters are plain ints, padded apart: a
 * race between two threads on one stripe can only lose a count, never a recorded value.
 */
public final class StripedLatencyRecorder {

  /** Calls per stripe and interval recorded one by one. */
  static final int EXACT = 256;
  /** After that, one call in this many is recorded, with this weight. */
  static final int SAMPLE_EVERY = 128;
  private static final int PAD = 16;

  private final Recorder[] stripes;
  private final Histogram[] recycled;
  private final int[] calls;
  private final int mask;

  public StripedLatencyRecorder() {
    int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)) << 1;
    this.stripes = new Recorder[n];
    this.recycled = new Histogram[n];
    this.calls = new int[n * PAD];
    for (int i = 0; i < n; i++) {
      stripes[i] = new Recorder(2);
    }
    this.mask = n - 1;
  }

  /** Records one duration (or counts it towards the next sampled one); lock-free. */
  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+, and we build for 17
  public void record(long nanos) {
    int stripe = (int) Thread.currentThread().getId() & mask;
    int seen = ++calls[stripe * PAD];
    if (seen > 0 && seen <= EXACT) { // past 2^31 calls without a sample the count wraps: keep sampling
      stripes[stripe].recordValue(Math.max(0, nanos));
    } else if ((seen & (SAMPLE_EVERY - 1)) == 0) {
      stripes[stripe].recordValueWithCount(Math.max(0, nanos), SAMPLE_EVERY);
    }
  }

  /** The durations recorded since the previous call; call from one thread at a time. */
  public Histogram interval() {
    Histogram total = null;
    for (int i = 0; i < stripes.length; i++) {
      calls[i * PAD] = 0;
      Histogram h = stripes[i].getIntervalHistogram(recycled[i]);
      recycled[i] = h;
      if (total == null) {
        total = h.copy();
      } else {
        total.add(h);
      }
    }
    return total;
  }
}
