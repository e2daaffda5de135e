package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.SlidingWindowType;

/**
 * The last {@code size} calls. A fast success changes nothing shared here: it only increments the
 * breaker's striped success counter. Failures and slow calls are written, as bits in two rings of
 * {@code size} bits, under the lock, at the position "successes counted so far plus failures
 * recorded so far in this window". Failures are counted under the lock, so each one gets its own
 * position and positions never run ahead of the calls; a success takes the place its increment
 * had when the next outcome was recorded. Successes can only lower the rates, so they are
 * evaluated only until the minimum number of calls is reached.
 *
 * <p>Under concurrency a slow success and a failure that end at the same moment may share a
 * slot (the slow count is then one short); every outcome is still counted exactly once in the
 * breaker's totals.
 *
 * <p>Positions come from the breaker-wide count, so a success of a call permitted by an earlier
 * CLOSED state (a slow call still running when the breaker tripped, closed again or was reset)
 * must not take a place here: the earlier window, {@link #retire() retired} when its state was
 * left, tells the breaker, which leaves such late successes out of the count it gives windows.
 * A retired window keeps its counts: the status of a tripped breaker shows the rates it tripped
 * on. Two gaps, each a race of one success with a transition: one counted in the instant between
 * the state's replacement and the retirement of its window, taking the settled fast path then, is
 * counted by the next window; one counted before the next window is made and found late after it
 * leaves that window's count one short for good (a failure then still takes a place of its own).
 * Tracking successes per window instead would cost the success path a second atomic increment.
 */
final class CountWindow extends Window {

  private static final int FILLING = 0;
  /** The window has held enough calls that further successes cannot trip it. */
  private static final int SETTLED = 1;
  /** The CLOSED state of this window was left: counts are frozen. */
  private static final int RETIRED = 2;

  private final int size;
  private final DefaultCircuitBreaker owner;
  private final long baseSuccesses;
  /** Failures recorded in this window; guarded by the lock. */
  private long failuresRecorded;
  private final long[] failureBits;
  private final long[] slowBits;
  /** Positions up to this one have their slots cleared or written; guarded by the lock. */
  private long advanced;
  private int failures;
  private int slow;
  private volatile int phase = FILLING;
  /** The counts when retired; guarded by the lock. */
  private Counts frozen;

  CountWindow(int size, DefaultCircuitBreaker owner) {
    this.size = size;
    this.owner = owner;
    this.baseSuccesses = owner.windowSuccessCount();
    this.failureBits = new long[(size + 63) >>> 6];
    this.slowBits = new long[(size + 63) >>> 6];
  }

  @Override
  String recordSuccess(CircuitBreakerConfig config, long nowNanos, boolean slowCall) {
    if (consecutiveFailures != 0) {
      consecutiveFailures = 0;
    }
    int now = phase;
    if (now == RETIRED) {
      owner.lateSuccess();
      return null;
    }
    if (now == SETTLED && !slowCall) {
      return null;
    }
    lock.lock();
    try {
      if (phase == RETIRED) {
        owner.lateSuccess();
        return null;
      }
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
      if (phase == RETIRED) {
        return null;
      }
      consecutiveFailures++;
      failuresRecorded++;
      long before = advanced;
      long position = nextPosition();
      if (position == before) {
        // the count dipped under the previous outcome's place (see nextPosition): take a new one
        advanceTo(++position);
      }
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
      if (frozen != null) {
        return frozen;
      }
      long position = nextPosition();
      return new Counts(Math.min(position, size), failures, slow);
    } finally {
      lock.unlock();
    }
  }

  @Override
  void retire() {
    lock.lock();
    try {
      if (frozen == null) {
        frozen = new Counts(Math.min(nextPosition(), size), failures, slow);
        phase = RETIRED;
      }
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
    if (phase == FILLING && calls >= Math.min(config.minimumNumberOfCalls(), size)) {
      phase = SETTLED;
    }
    return evaluate(config, consecutiveFailures, calls, failures, slow);
  }

  /** Calls recorded in this window so far: the position of the outcome being recorded. */
  private long nextPosition() {
    // The success count only grows, but a late success is added to it a moment before it is
    // taken out again as late, and one added before this window began and taken out after leaves
    // the count one below the base for good: the max keeps positions from going backwards.
    long successes = Math.max(0, owner.windowSuccessCount() - baseSuccesses);
    long position = Math.max(successes + failuresRecorded, advanced);
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
    if (position < 1) {
      return 0; // a slow success placed by a count that dipped below this window's base: lost
    }
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
