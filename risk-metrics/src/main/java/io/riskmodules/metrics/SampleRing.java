package io.riskmodules.metrics;

import io.riskmodules.breaker.CircuitState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One breaker's samples, oldest first, in columns of primitives instead of objects: 45 bytes a
 * sample (nine ints, four 16-bit latencies, one byte of state and flags) where a {@link
 * BreakerSample} takes about 160. Guarded by its own monitor (the store's callers: the sampling
 * thread and readers, never a breaker call).
 *
 * <p>A sample is kept as differences from the one before it: lifetime counts as the calls,
 * failures, slow calls and rejections since the previous sample, the time as the interval. The
 * oldest and newest samples' absolute values are kept beside the columns, so every sample is
 * rebuilt exactly by a walk from the oldest, and the newest without one. Latencies are kept to 11
 * significant bits (0.05 %, finer than the 1 % of the histogram they come from): {@link
 * #quantizeMillis} gives the value kept, and the collector samples with it.
 *
 * <p>Lossless: a sample these columns cannot rebuild exactly (one made by hand, a count that does
 * not fit an int, a clock that jumped back, a latency that is not a kept value) is kept whole, as
 * the object, so that what is read back always equals what was appended.
 */
final class SampleRing {

  /** Ints per sample, at these offsets. */
  private static final int INTS = 9;
  private static final int INTERVAL = 0;
  private static final int CALLS = 1;
  private static final int REJECTED = 2;
  private static final int FAILED = 3;
  private static final int SLOW = 4;
  private static final int WINDOW_CALLS = 5;
  private static final int WINDOW_FAILED = 6;
  private static final int WINDOW_SLOW = 7;
  private static final int MINIMUM = 8;
  private static final int LATENCIES = 4;
  private static final byte RATES_COUNT = 0x10;
  private static final byte WHOLE = 0x20;
  private static final byte STATE = 0x0f;
  private static final CircuitState[] STATES = CircuitState.values();

  private final String name;
  private final int capacity;
  private int[] ints;
  private char[] latencies;
  private byte[] flags;
  /** Samples kept whole, by slot; null while there are none. */
  private Map<Integer, BreakerSample> whole;
  private int head;
  private int size;

  /** Absolute values of the oldest sample. */
  private long firstMillis;
  private long firstTotal;
  private long firstFailed;
  private long firstSlow;
  private long firstRejected;
  /** Absolute values of the newest sample. */
  private long lastMillis;
  private long lastTotal;
  private long lastFailed;
  private long lastSlow;
  private long lastRejected;

  SampleRing(String name, int capacity) {
    this.name = name;
    this.capacity = capacity;
    int initial = Math.min(capacity, 8);
    ints = new int[initial * INTS];
    latencies = new char[initial * LATENCIES];
    flags = new byte[initial];
  }

  /** Samples kept whole, as objects (for tests: the collector's are all kept in columns). */
  synchronized int wholeSamples() {
    return whole == null ? 0 : whole.size();
  }

  synchronized int size() {
    return size;
  }

  /** Appends {@code s}, then drops the oldest samples while over the capacity or older than {@code oldestMillis}. */
  synchronized void append(BreakerSample s, long oldestMillis) {
    if (size == slots()) {
      if (size == capacity) {
        dropOldest();
      } else {
        grow();
      }
    }
    int slot = (head + size) % slots();
    if (!encode(s, slot)) {
      if (whole == null) {
        whole = new HashMap<>(4);
      }
      whole.put(slot, s);
      flags[slot] = WHOLE;
    } else if (whole != null) {
      whole.remove(slot);
    }
    if (size == 0) {
      firstMillis = s.epochMillis();
      firstTotal = s.totalCalls();
      firstFailed = s.failedCalls();
      firstSlow = s.slowCalls();
      firstRejected = s.rejectedCalls();
    }
    lastMillis = s.epochMillis();
    lastTotal = s.totalCalls();
    lastFailed = s.failedCalls();
    lastSlow = s.slowCalls();
    lastRejected = s.rejectedCalls();
    size++;
    while (size > 0 && firstMillis < oldestMillis) {
      dropOldest();
    }
  }

  /** The newest sample, or null. */
  synchronized BreakerSample latest() {
    if (size == 0) {
      return null;
    }
    int slot = (head + size - 1) % slots();
    return decode(slot, lastMillis, lastTotal, lastFailed, lastSlow, lastRejected);
  }

  /** Adds the samples taken from {@code fromMillis} to {@code toMillis} to {@code out}, oldest first. */
  synchronized void range(long fromMillis, long toMillis, List<BreakerSample> out) {
    long millis = firstMillis;
    long total = firstTotal;
    long failed = firstFailed;
    long slow = firstSlow;
    long rejected = firstRejected;
    for (int i = 0; i < size; i++) {
      int slot = (head + i) % slots();
      BreakerSample s;
      if (flags[slot] == WHOLE) {
        s = whole.get(slot);
        millis = s.epochMillis();
        total = s.totalCalls();
        failed = s.failedCalls();
        slow = s.slowCalls();
        rejected = s.rejectedCalls();
      } else {
        if (i > 0) {
          int at = slot * INTS;
          millis += ints[at + INTERVAL];
          total += ints[at + CALLS];
          failed += ints[at + FAILED];
          slow += ints[at + SLOW];
          rejected += ints[at + REJECTED];
        }
        s = null;
      }
      if (millis >= fromMillis && millis <= toMillis) {
        out.add(s != null ? s : decode(slot, millis, total, failed, slow, rejected));
      }
    }
  }

  private int slots() {
    return flags.length;
  }

  private void grow() {
    int slots = slots();
    int grown = (int) Math.min(capacity, Math.max(8L, slots * 2L));
    int[] newInts = new int[grown * INTS];
    char[] newLatencies = new char[grown * LATENCIES];
    byte[] newFlags = new byte[grown];
    Map<Integer, BreakerSample> newWhole = whole == null ? null : new HashMap<>(4);
    for (int i = 0; i < size; i++) {
      int from = (head + i) % slots;
      System.arraycopy(ints, from * INTS, newInts, i * INTS, INTS);
      System.arraycopy(latencies, from * LATENCIES, newLatencies, i * LATENCIES, LATENCIES);
      newFlags[i] = flags[from];
      if (flags[from] == WHOLE) {
        newWhole.put(i, whole.get(from));
      }
    }
    ints = newInts;
    latencies = newLatencies;
    flags = newFlags;
    whole = newWhole;
    head = 0;
  }

  /** Drops the oldest sample; the next one becomes the oldest, its absolute values rebuilt from its differences. */
  private void dropOldest() {
    int slot = head;
    if (flags[slot] == WHOLE) {
      whole.remove(slot);
      if (whole.isEmpty()) {
        whole = null;
      }
    }
    head = (head + 1) % slots();
    size--;
    if (size == 0) {
      return;
    }
    int next = head;
    if (flags[next] == WHOLE) {
      BreakerSample s = whole.get(next);
      firstMillis = s.epochMillis();
      firstTotal = s.totalCalls();
      firstFailed = s.failedCalls();
      firstSlow = s.slowCalls();
      firstRejected = s.rejectedCalls();
    } else {
      int at = next * INTS;
      firstMillis += ints[at + INTERVAL];
      firstTotal += ints[at + CALLS];
      firstFailed += ints[at + FAILED];
      firstSlow += ints[at + SLOW];
      firstRejected += ints[at + REJECTED];
    }
  }

  /**
   * Writes {@code s} into {@code slot} as differences from the newest sample kept, if the columns
   * rebuild it exactly; false (and nothing meaningful written) if they cannot.
   */
  private boolean encode(BreakerSample s, int slot) {
    if (!name.equals(s.name())) {
      return false;
    }
    long calls = s.intervalCalls();
    long rejected = s.intervalRejected();
    long failed;
    long slow;
    if (size > 0) {
      // the differences must be those from the sample before, as the collector's are
      if (s.epochMillis() - s.intervalMillis() != lastMillis || s.totalCalls() - calls != lastTotal
          || s.rejectedCalls() - rejected != lastRejected) {
        return false;
      }
      failed = s.failedCalls() - lastFailed;
      slow = s.slowCalls() - lastSlow;
    } else {
      failed = 0; // the oldest sample's absolute values are kept beside the columns
      slow = 0;
    }
    long windowCalls = s.callsInWindow();
    if (!fitsInt(s.intervalMillis()) || !fitsInt(calls) || !fitsInt(rejected) || !fitsInt(failed) || !fitsInt(slow)
        || !fitsInt(windowCalls) || s.minimumCalls() < 0 || rejected > calls) {
      return false;
    }
    double rejectionRate = calls == 0 ? 0 : (double) rejected / calls;
    double seconds = s.intervalMillis() / 1000.0;
    if (Double.compare(rejectionRate, s.rejectionRate()) != 0
        || Double.compare(seconds > 0 ? calls / seconds : 0, s.callsPerSecond()) != 0) {
      return false;
    }
    boolean ratesCount = !Double.isNaN(s.failureRate());
    long windowFailed = 0;
    long windowSlow = 0;
    if (ratesCount) {
      windowFailed = countOf(s.failureRate(), windowCalls);
      windowSlow = countOf(s.slowCallRate(), windowCalls);
      if (windowFailed < 0 || windowSlow < 0) {
        return false;
      }
    } else if (!Double.isNaN(s.slowCallRate())) {
      return false;
    }
    char p50 = latencyCode(s.p50Millis());
    char p95 = latencyCode(s.p95Millis());
    char p99 = latencyCode(s.p99Millis());
    char max = latencyCode(s.maxMillis());
    if (p50 == NOT_KEPT || p95 == NOT_KEPT || p99 == NOT_KEPT || max == NOT_KEPT) {
      return false;
    }
    int at = slot * INTS;
    ints[at + INTERVAL] = (int) s.intervalMillis();
    ints[at + CALLS] = (int) calls;
    ints[at + REJECTED] = (int) rejected;
    ints[at + FAILED] = (int) failed;
    ints[at + SLOW] = (int) slow;
    ints[at + WINDOW_CALLS] = (int) windowCalls;
    ints[at + WINDOW_FAILED] = (int) windowFailed;
    ints[at + WINDOW_SLOW] = (int) windowSlow;
    ints[at + MINIMUM] = s.minimumCalls();
    int l = slot * LATENCIES;
    latencies[l] = p50;
    latencies[l + 1] = p95;
    latencies[l + 2] = p99;
    latencies[l + 3] = max;
    flags[slot] = (byte) (s.state().ordinal() | (ratesCount ? RATES_COUNT : 0));
    return true;
  }

  private BreakerSample decode(int slot, long millis, long total, long failed, long slow, long rejected) {
    if (flags[slot] == WHOLE) {
      return whole.get(slot);
    }
    int at = slot * INTS;
    long interval = ints[at + INTERVAL];
    long calls = ints[at + CALLS];
    long intervalRejected = ints[at + REJECTED];
    long windowCalls = ints[at + WINDOW_CALLS];
    boolean ratesCount = (flags[slot] & RATES_COUNT) != 0;
    double failureRate = ratesCount ? rate(ints[at + WINDOW_FAILED], windowCalls) : Double.NaN;
    double slowRate = ratesCount ? rate(ints[at + WINDOW_SLOW], windowCalls) : Double.NaN;
    double seconds = interval / 1000.0;
    int l = slot * LATENCIES;
    return new BreakerSample(name, millis, STATES[flags[slot] & STATE], total, failed, slow, rejected, calls,
        intervalRejected, failureRate, slowRate, calls == 0 ? 0 : (double) intervalRejected / calls,
        millisOf(latencies[l]), millisOf(latencies[l + 1]), millisOf(latencies[l + 2]), millisOf(latencies[l + 3]),
        seconds > 0 ? calls / seconds : 0, windowCalls, ints[at + MINIMUM], interval);
  }

  private static boolean fitsInt(long v) {
    return v >= 0 && v <= Integer.MAX_VALUE;
  }

  /** The count {@code c} with {@code c / calls == rate} exactly, as the breaker divides; -1 if none. */
  private static long countOf(double rate, long calls) {
    if (calls == 0) {
      return Double.compare(rate, 0.0) == 0 ? 0 : -1;
    }
    if (!(rate >= 0 && rate <= 1)) {
      return -1;
    }
    long c = Math.round(rate * calls);
    return Double.compare(rate(c, calls), rate) == 0 ? c : -1;
  }

  private static double rate(long count, long calls) {
    return calls == 0 ? 0.0 : (double) count / calls;
  }

  // Latencies: 16-bit codes of whole nanoseconds with 11 significant bits. Codes below 2048 are
  // the nanoseconds themselves; above, 1024 mantissas per binary exponent.

  private static final char NOT_KEPT = Character.MAX_VALUE;
  private static final long MAX_NANOS = 2047L << 52;

  /** The value the store keeps of a latency in milliseconds: the nearest with 11 significant bits of nanoseconds. */
  static double quantizeMillis(double millis) {
    if (!(millis >= 0) || millis > MAX_NANOS / 1e6) {
      return millis;
    }
    return decodeNanos(encodeNanos(Math.round(millis * 1e6))) / 1e6;
  }

  private static char latencyCode(double millis) {
    if (!(millis >= 0) || millis > MAX_NANOS / 1e6) {
      return NOT_KEPT;
    }
    char code = encodeNanos(Math.round(millis * 1e6));
    return Double.compare(decodeNanos(code) / 1e6, millis) == 0 ? code : NOT_KEPT;
  }

  private static double millisOf(char code) {
    return decodeNanos(code) / 1e6;
  }

  static char encodeNanos(long nanos) {
    if (nanos < 2048) {
      return (char) nanos;
    }
    int shift = 64 - Long.numberOfLeadingZeros(nanos) - 11;
    long mantissa = (nanos + (1L << (shift - 1))) >>> shift; // rounded: 1024 to 2048
    if (mantissa == 2048) {
      mantissa = 1024;
      shift++;
    }
    return (char) (2048 + ((shift - 1) << 10) + (mantissa - 1024));
  }

  static long decodeNanos(char code) {
    if (code < 2048) {
      return code;
    }
    int shift = ((code - 2048) >>> 10) + 1;
    return (1024L + ((code - 2048) & 1023)) << shift;
  }
}
