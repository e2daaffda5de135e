package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.SlidingWindowType;
import java.util.Arrays;

/**
 * The last {@code size} calls. Positions are those of {@link Window}: a fast success only
 * increments the window's striped counter, and its slot is left clear; failures and slow successes
 * set bits, in two rings of {@code size} bits, at their own positions. Moving to a position clears
 * the slots of the positions passed on the way, the calls that left the window.
 *
 * <p>Once the window has held the minimum number of calls it holds at least that many for good, so
 * from then on fast successes (which cannot raise a rate) skip the lock until the config changes.
 *
 * <p>Why one array for both rings, a slot's failure word next to its slow word: each failure
 * writes the rings under the lock, and on a contended breaker every line it writes was last
 * written by another core. Interleaved, the words a failure writes (its slot's, and the slots it
 * clears on the way) are in one place, and a ring with nothing set is not written at all.
 */
final class CountWindow extends Window {

  private static final int FAILURE = 0;
  private static final int SLOW = 1;

  private final int size;
  /** Word {@code 2w} holds failure slots {@code 64w..64w+63}, word {@code 2w + 1} the slow ones. */
  private final long[] bits;
  // Guarded by the lock.
  /** Positions up to this one have their slots cleared or written. */
  private long advanced;
  private int failures;
  private int slow;

  CountWindow(int size, FastLane lane) {
    super(lane);
    this.size = size;
    this.bits = new long[((size + 63) >>> 6) * 2];
  }

  @Override
  long beginLocked(long nowNanos) {
    return lane.sum();
  }

  @Override
  void advance(long nowNanos, long fastNow, long position) {
    long count = position - advanced;
    if (count >= size) {
      if (failures != 0 || slow != 0) {
        Arrays.fill(bits, 0L);
        failures = 0;
        slow = 0;
      }
    } else if (count > 0) {
      int from = (int) (advanced % size);
      // a ring with no slot set has nothing to clear: leave its words unwritten
      if (failures != 0) {
        failures -= clear(FAILURE, from, (int) count);
      }
      if (slow != 0) {
        slow -= clear(SLOW, from, (int) count);
      }
    }
    advanced = Math.max(advanced, position);
  }

  @Override
  void place(long position, boolean failure, boolean slowCall) {
    int slot = (int) ((position - 1) % size);
    if (failure) {
      bits[word(FAILURE, slot)] |= 1L << (slot & 63);
      failures++;
    }
    if (slowCall) {
      bits[word(SLOW, slot)] |= 1L << (slot & 63);
      slow++;
    }
  }

  @Override
  void unplace(long position, boolean failure, boolean slowCall) {
    int slot = (int) ((position - 1) % size);
    if (failure) {
      bits[word(FAILURE, slot)] &= ~(1L << (slot & 63));
      failures--;
    }
    if (slowCall) {
      bits[word(SLOW, slot)] &= ~(1L << (slot & 63));
      slow--;
    }
  }

  @Override
  long calls(long fastNow) {
    return Math.min(advanced, size);
  }

  @Override
  long failures() {
    return failures;
  }

  @Override
  long slowCalls() {
    return slow;
  }

  @Override
  void settle() {}

  @Override
  long capacity() {
    return size;
  }

  @Override
  boolean fits(CircuitBreakerConfig config) {
    return config.slidingWindowType() == SlidingWindowType.COUNT_BASED
        && config.slidingWindowSize() == size;
  }

  /** The index in {@link #bits} of the word holding {@code slot} of ring {@code ring}. */
  private static int word(int ring, int slot) {
    return ((slot >>> 6) << 1) + ring;
  }

  /**
   * Clears {@code count} slots of {@code ring} from {@code from}, wrapping at {@code size}; returns
   * how many were set.
   */
  private int clear(int ring, int from, int count) {
    int first = Math.min(count, size - from);
    int cleared = clearRange(ring, from, from + first);
    if (count > first) {
      cleared += clearRange(ring, 0, count - first);
    }
    return cleared;
  }

  /** Clears slots [from, to) of {@code ring}; returns how many were set. */
  private int clearRange(int ring, int from, int to) {
    int cleared = 0;
    int slot = from;
    while (slot < to) {
      int index = word(ring, slot);
      int bit = slot & 63;
      int span = Math.min(64 - bit, to - slot);
      long mask = span == 64 ? -1L : ((1L << span) - 1) << bit;
      long set = bits[index] & mask;
      if (set != 0) {
        cleared += Long.bitCount(set);
        bits[index] &= ~mask;
      }
      slot += span;
    }
    return cleared;
  }
}
