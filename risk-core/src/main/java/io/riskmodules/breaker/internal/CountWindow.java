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
 */
final class CountWindow extends Window {

  private final int size;
  private final long[] failureBits;
  private final long[] slowBits;
  // Guarded by the lock.
  /** Positions up to this one have their slots cleared or written. */
  private long advanced;
  private int failures;
  private int slow;

  CountWindow(int size) {
    this.size = size;
    this.failureBits = new long[(size + 63) >>> 6];
    this.slowBits = new long[(size + 63) >>> 6];
  }

  @Override
  long beginLocked(long nowNanos) {
    return fast.sum();
  }

  @Override
  void advance(long nowNanos, long fastNow, long position) {
    long count = position - advanced;
    if (count >= size) {
      Arrays.fill(failureBits, 0L);
      Arrays.fill(slowBits, 0L);
      failures = 0;
      slow = 0;
    } else if (count > 0) {
      int from = (int) (advanced % size);
      failures -= clear(failureBits, from, (int) count);
      slow -= clear(slowBits, from, (int) count);
    }
    advanced = Math.max(advanced, position);
  }

  @Override
  void place(long position, boolean failure, boolean slowCall) {
    int slot = (int) ((position - 1) % size);
    if (failure) {
      set(failureBits, slot);
      failures++;
    }
    if (slowCall) {
      set(slowBits, slot);
      slow++;
    }
  }

  @Override
  void unplace(long position, boolean failure, boolean slowCall) {
    int slot = (int) ((position - 1) % size);
    if (failure) {
      failureBits[slot >>> 6] &= ~(1L << (slot & 63));
      failures--;
    }
    if (slowCall) {
      slowBits[slot >>> 6] &= ~(1L << (slot & 63));
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
  boolean settledAt(long nowNanos) {
    return true;
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

  private static void set(long[] bits, int slot) {
    bits[slot >>> 6] |= 1L << (slot & 63);
  }

  /** Clears {@code count} slots from {@code from}, wrapping at {@code size}; returns how many were set. */
  private int clear(long[] bits, int from, int count) {
    int first = Math.min(count, size - from);
    int cleared = clearRange(bits, from, from + first);
    if (count > first) {
      cleared += clearRange(bits, 0, count - first);
    }
    return cleared;
  }

  /** Clears slots [from, to); returns how many were set. */
  private static int clearRange(long[] bits, int from, int to) {
    int cleared = 0;
    int slot = from;
    while (slot < to) {
      int word = slot >>> 6;
      int bit = slot & 63;
      int span = Math.min(64 - bit, to - slot);
      long mask = span == 64 ? -1L : ((1L << span) - 1) << bit;
      cleared += Long.bitCount(bits[word] & mask);
      bits[word] &= ~mask;
      slot += span;
    }
    return cleared;
  }
}
