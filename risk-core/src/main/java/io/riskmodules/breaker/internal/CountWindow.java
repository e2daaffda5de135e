package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.SlidingWindowType;

/**
 * The last {@code size} calls. A fast success changes nothing shared here: the call's position is
 * the breaker's lifetime count of recorded calls (a striped adder), and only failures and slow
 * calls are written, as bits in two rings of {@code size} bits, under the lock. Successes can only
 * lower the rates, so they are evaluated only until the minimum number of calls is reached.
 *
 * <p>Positions are the order in which outcomes were recorded; under concurrency, calls that end at
 * the same moment may take each other's places, but every outcome is counted exactly once.
 */
final class CountWindow extends Window {

  private final int size;
  private final DefaultCircuitBreaker owner;
  private final long base;
  private final long[] failureBits;
  private final long[] slowBits;
  /** Positions up to this one have their slots cleared or written; guarded by the lock. */
  private long advanced;
  private int failures;
  private int slow;
  /** Set once the window has held enough calls that further successes cannot trip it. */
  private volatile boolean settled;

  CountWindow(int size, DefaultCircuitBreaker owner) {
    this.size = size;
    this.owner = owner;
    this.base = owner.recordedCalls();
    this.failureBits = new long[(size + 63) >>> 6];
    this.slowBits = new long[(size + 63) >>> 6];
  }

  @Override
  String recordSuccess(CircuitBreakerConfig config, long nowNanos, boolean slowCall) {
    if (consecutiveFailures != 0) {
      consecutiveFailures = 0;
    }
    if (!slowCall && settled) {
      return null;
    }
    lock.lock();
    try {
      long position = nextPosition();
      if (slowCall) {
        slow += set(slowBits, position);
      }
      return decide(config, position);
    } finally {
      lock.unlock();
    }
  }

  @Override
  String recordFailure(CircuitBreakerConfig config, long nowNanos, boolean slowCall) {
    lock.lock();
    try {
      consecutiveFailures++;
      long position = nextPosition();
      failures += set(failureBits, position);
      if (slowCall) {
        slow += set(slowBits, position);
      }
      return decide(config, position);
    } finally {
      lock.unlock();
    }
  }

  @Override
  Counts counts(long nowNanos) {
    lock.lock();
    try {
      long position = Math.max(advanced, owner.recordedCalls() - base);
      advanceTo(position);
      return new Counts(Math.min(position, size), failures, slow);
    } finally {
      lock.unlock();
    }
  }

  @Override
  boolean fits(CircuitBreakerConfig config) {
    return config.slidingWindowType() == SlidingWindowType.COUNT_BASED
        && config.slidingWindowSize() == size;
  }

  private String decide(CircuitBreakerConfig config, long position) {
    long calls = Math.min(position, size);
    if (!settled && calls >= Math.min(config.minimumNumberOfCalls(), size)) {
      settled = true;
    }
    return evaluate(config, consecutiveFailures, calls, failures, slow);
  }

  /** The position of the outcome being recorded; each gets its own, even when counts race. */
  private long nextPosition() {
    long position = Math.max(owner.recordedCalls() - base, advanced + 1);
    advanceTo(position);
    return position;
  }

  /** Clears the slots of positions after {@code advanced} up to {@code position}: they leave the window. */
  private void advanceTo(long position) {
    long count = position - advanced;
    if (count <= 0) {
      return;
    }
    if (count >= size) {
      java.util.Arrays.fill(failureBits, 0L);
      java.util.Arrays.fill(slowBits, 0L);
      failures = 0;
      slow = 0;
    } else {
      int from = (int) (advanced % size);
      failures -= clear(failureBits, from, (int) count);
      slow -= clear(slowBits, from, (int) count);
    }
    advanced = position;
  }

  /** Sets the slot of {@code position} (1-based); returns 1 if it was clear. */
  private int set(long[] bits, long position) {
    int slot = (int) ((position - 1) % size);
    long mask = 1L << (slot & 63);
    int word = slot >>> 6;
    if ((bits[word] & mask) != 0) {
      return 0;
    }
    bits[word] |= mask;
    return 1;
  }

  /** Clears {@code count} slots from {@code from}, wrapping at {@code size}; returns how many were set. */
  private int clear(long[] bits, int from, int count) {
    int cleared = 0;
    int first = Math.min(count, size - from);
    cleared += clearRange(bits, from, from + first);
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
