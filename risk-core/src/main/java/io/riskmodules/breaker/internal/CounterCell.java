package io.riskmodules.breaker.internal;

import static io.riskmodules.breaker.internal.SampledCounter.CHECK_EVERY;
import static io.riskmodules.breaker.internal.SampledCounter.MIN_ELAPSED_NANOS;
import static io.riskmodules.breaker.internal.SampledCounter.PERIOD_NANOS;
import static io.riskmodules.breaker.internal.SampledCounter.SHOWN_PER_PERIOD;
import static io.riskmodules.breaker.internal.SampledCounter.SKIP;

import io.riskmodules.breaker.Ticker;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One exact count of a {@link SampledCounter}, with the sampling state of its calls. The counter
 * itself is the uncontended cell; the others are {@link SampledCounter.PaddedCell}s. The padding
 * before the fields (a superclass's fields come first) keeps a cell off the cache line of
 * whatever was allocated just before it, typically the table that every thread reads.
 */
class CounterCell extends CounterCellPad {
  volatile long value;
  /** The mean distance between calls shown: 1 shows every call. */
  private long spacing = 1;
  /**
   * A count {@code n} needs a look when {@code (n + phase) & dueMask} is 0: every call while the
   * spacing is 1, else about one in {@link SampledCounter#CHECK_EVERY} or in the spacing, at a
   * phase drawn again at each look.
   */
  private long dueMask;
  private long phase;
  private long nextShown;
  private long nextCheck;
  /** The count when the current period started. */
  private long periodStart;
  private long periodStartNanos;
  /** A count in the period this high means the rate jumped: adapt before the period ends. 0: no period yet. */
  private long adaptAt;
  /** The count at the last call shown. */
  private long shown;
  private long random = ThreadLocalRandom.current().nextLong() | 1;

  /**
   * Decides for the call that will make the count {@code n}. All calls but one in about {@link
   * SampledCounter#CHECK_EVERY} (or in the spacing, if smaller) cost one compare here.
   */
  final int sample(long n, Ticker ticker) {
    return ((n + phase) & dueMask) != 0 ? SKIP : due(n, ticker);
  }

  /**
   * Shows the call when the next one drawn is due, every {@link SampledCounter#CHECK_EVERY}
   * calls reads the clock and, when the period is over or the rate has jumped, sets the spacing
   * for the next period, and draws the phase of the next look.
   *
   * <p>A method of its own, so that the JIT can leave it out of the compiled call path: HotSpot's
   * C2 inlines a method of more than 35 bytecodes only at a call site it saw run 100 times while
   * profiling, and this one runs once in a few hundred calls. Inlined, its mere presence made
   * every call in a tight loop slower in some JVM runs; see the README's Benchmarks.
   */
  private int due(long n, Ticker ticker) {
    if (ticker == null) {
      return unobserved(n);
    }
    if (n >= nextCheck) {
      nextCheck = n + CHECK_EVERY;
      long now = ticker.read();
      if (now - periodStartNanos >= PERIOD_NANOS || n - periodStart >= adaptAt) {
        adapt(n, now, n - periodStart, now - periodStartNanos);
      }
    }
    int weight = SKIP;
    if (n >= nextShown) {
      weight = show(n);
      nextShown = n + gap(spacing);
    }
    phase = nextRandom() & dueMask;
    return weight;
  }

  /**
   * Nobody looks at the sample (no ticker): no clock read and nothing shown, and a look as rare as
   * on a busy cell. The count is noted as shown, so that the first call shown once an observer
   * comes stands for a few hundred calls at most; that first look finds the period over (or
   * measures its rate) and sets the spacing again.
   */
  private int unobserved(long n) {
    shown = n;
    dueMask = CHECK_EVERY - 1;
    phase = nextRandom() & dueMask;
    return SKIP;
  }

  /**
   * A distance uniform between half and one and a half {@code mean} (a power of two), so that
   * traffic with a period of its own (every fourth call to a slow replica, say) is not always
   * sampled at the same phase, as a fixed distance would be.
   */
  private long gap(long mean) {
    return mean == 1 ? 1 : (mean >>> 1) + (nextRandom() & (mean - 1));
  }

  private long nextRandom() {
    long r = random; // xorshift64: cheap, and well mixed enough for this
    r ^= r << 13;
    r ^= r >>> 7;
    r ^= r << 17;
    random = r;
    return r;
  }

  /** Sets the spacing for a new period from the rate of the one that ends; runs about once a second. */
  private void adapt(long n, long nowNanos, long inPeriod, long elapsed) {
    if (adaptAt == 0) {
      // the first check starts a short first period, so that a cell busy from the start shows
      // every call only 2 * CHECK_EVERY times
      adaptAt = CHECK_EVERY;
    } else {
      // after a long pause, every call is shown again until the next check
      double perPeriod = elapsed >= 2 * PERIOD_NANOS
          ? 0
          : (double) inPeriod * PERIOD_NANOS / Math.max(elapsed, MIN_ELAPSED_NANOS);
      spacing = Long.highestOneBit(Math.max(1L, (long) (perPeriod / SHOWN_PER_PERIOD)));
      adaptAt = 4 * SHOWN_PER_PERIOD * spacing;
      dueMask = Math.min(spacing, CHECK_EVERY) - 1;
      nextShown = Math.min(nextShown, n + gap(spacing)); // a rate that fell is followed at once
    }
    periodStart = n;
    periodStartNanos = nowNanos;
  }

  private int show(long n) {
    long weight = n - shown;
    shown = n;
    // a race with another thread on this cell can make the weight 0 or negative: the call still counts once
    return (int) Math.max(1, Math.min(weight, Integer.MAX_VALUE));
  }
}

/** A cache line of padding, laid out before the fields of a {@link CounterCell}. */
@SuppressWarnings("unused")
abstract class CounterCellPad {
  private long p0;
  private long p1;
  private long p2;
  private long p3;
  private long p4;
  private long p5;
  private long p6;
  private long p7;
}
