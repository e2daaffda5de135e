package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts the calls of one outcome exactly, like a {@link java.util.concurrent.atomic.LongAdder},
 * and picks from them the weighted sample that {@link io.riskmodules.breaker.CallObserver
 * observers} see.
 *
 * <p>Which calls are shown, per cell (the base while uncontended, else one cell per group of
 * threads): one call every so many, at random distances around a mean spacing, each standing for
 * the calls since the cell last showed one. The spacing is a power of two set each period of
 * {@link #PERIOD_NANOS} from the rate of the one before, so that a cell shows between {@link
 * #SHOWN_PER_PERIOD} and twice that many calls a period: every call of a quiet breaker, a steady
 * trickle of a busy one. A rate that jumps within a period is caught after a few hundred calls.
 * The weights add up to the calls counted, and percentiles built from them are unbiased: which
 * calls are shown depends neither on their durations nor on any period in the traffic.
 *
 * <p>Why the counter samples: it already holds each call's position, in the cache line that
 * counting writes anyway, so deciding costs one test. Showing every call to an observer cost a
 * fifth of a whole breaker call, and a separate per-thread sampling counter a third.
 *
 * <p>The counts are exact. The sampling fields are plain: two threads that land in the same cell
 * at once can shift a period's start or a weight by a call; they never change a count.
 */
final class SampledCounter extends CounterCell {

  /** Calls a cell shows per period, at least; at most twice this. */
  static final long SHOWN_PER_PERIOD = 256;
  /** How long the rate that sets a spacing is measured. */
  static final long PERIOD_NANOS = 1_000_000_000L;
  /** A cell looks at the clock about once in this many calls. */
  static final long CHECK_EVERY = 256;
  /** A rate measured over less than this (the coarse ticker's step) is measured over this. */
  static final long MIN_ELAPSED_NANOS = 1_000_000L;
  /** What {@link #incrementAndSample} returns for a call the observers do not see. */
  static final int SKIP = 0;

  private static final int MAX_CELLS = cellLimit();
  private static final VarHandle VALUE;
  private static final VarHandle CELLS_BUSY;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      VALUE = lookup.findVarHandle(CounterCell.class, "value", long.class);
      CELLS_BUSY = lookup.findVarHandle(SampledCounter.class, "cellsBusy", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Made on the first contention, grown on repeated contention up to {@link #MAX_CELLS}. */
  private volatile CounterCell[] cells;
  private volatile int cellsBusy;

  /**
   * Counts one call and says whether observers see it, and with what weight.
   *
   * <p>The decision comes before the atomic increment, from the value read for it: every memory
   * read after a locked instruction waits for it to finish, and deciding afterwards cost a quarter
   * of a breaker call, before almost nothing. Alone on a cell the position is exact; threads that
   * share a cell may both take the same position, which shifts a weight, not a count.
   *
   * @param ticker times the periods; read once in about {@link #CHECK_EVERY} calls; null when
   *     nobody looks at the sample, which then keeps its spacing and reads no clock
   * @return how many calls this one stands for, or {@link #SKIP}
   */
  int incrementAndSample(Ticker ticker) {
    CounterCell[] cs = cells;
    if (cs == null) {
      long v = value;
      int weight = sample(v + 1, ticker);
      if (!VALUE.compareAndSet(this, v, v + 1)) {
        incrementContended(home());
      }
      return weight;
    }
    int home = home();
    CounterCell c = cs[home & (cs.length - 1)]; // the cell incrementContended tries first
    int weight = c == null ? SKIP : c.sample(c.value + 1, ticker);
    incrementContended(home);
    return weight;
  }

  long sum() {
    long total = value;
    CounterCell[] cs = cells;
    if (cs != null) {
      for (CounterCell c : cs) {
        if (c != null) {
          total += c.value;
        }
      }
    }
    return total;
  }

  /** Test hook: makes the cell table, or doubles it, as a lost race on the base or a cell does. */
  void growCellsForTest() {
    makeCells(cells);
  }

  /** Test hook: counts one call the way a thread of id {@code home} that lost a race does. */
  void incrementContendedForTest(int home) {
    incrementContended(home);
  }

  /** Test hook: the count of each slot of the cell table, -1 where no cell was made; empty before the first contention. */
  long[] cellCountsForTest() {
    CounterCell[] cs = cells;
    long[] counts = new long[cs == null ? 0 : cs.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = cs[i] == null ? -1 : cs[i].value;
    }
    return counts;
  }

  /** Test hook: the size of the cell table, 0 before the first contention. */
  int cellTableSizeForTest() {
    CounterCell[] cs = cells;
    return cs == null ? 0 : cs.length;
  }

  /**
   * The slow path: the cell at the thread id (threads of a pool have consecutive ids, so they get
   * different cells while the table is big enough, and share them evenly beyond), the next one
   * when its CAS fails, and a bigger table on every failure until the cap. LongAdder rehashes a
   * per-thread probe instead, which is not reachable from outside the JDK.
   */
  private void incrementContended(int home) {
    // advanced only by a lost CAS on a cell: after making the table or a cell, try the same slot,
    // or a thread would make every empty cell up to the next one made and count in another's
    int attempt = 0;
    for (;;) {
      CounterCell[] cs = cells;
      if (cs == null) {
        long v = value;
        if (VALUE.compareAndSet(this, v, v + 1)) {
          return;
        }
        makeCells(null);
        continue;
      }
      int i = (home + attempt) & (cs.length - 1);
      CounterCell c = cs[i];
      if (c == null) {
        addCell(cs, i);
        continue;
      }
      long v = c.value;
      if (VALUE.compareAndSet(c, v, v + 1)) {
        return;
      }
      attempt++;
      if (cs.length < MAX_CELLS) {
        makeCells(cs);
      }
    }
  }

  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+, and we build for 17
  private static int home() {
    return (int) Thread.currentThread().getId();
  }

  /** Makes the first table (when {@code seen} is null) or doubles {@code seen}, unless another thread just did. */
  private void makeCells(CounterCell[] seen) {
    if (cellsBusy == 0 && CELLS_BUSY.compareAndSet(this, 0, 1)) {
      try {
        if (cells == seen) {
          CounterCell[] grown = new CounterCell[seen == null ? 2 : seen.length * 2];
          if (seen != null) {
            System.arraycopy(seen, 0, grown, 0, seen.length);
          }
          cells = grown;
        }
      } finally {
        cellsBusy = 0;
      }
    } else {
      Thread.onSpinWait();
    }
  }

  private void addCell(CounterCell[] seen, int i) {
    if (cellsBusy == 0 && CELLS_BUSY.compareAndSet(this, 0, 1)) {
      try {
        if (cells == seen && seen[i] == null) {
          seen[i] = new PaddedCell();
        }
      } finally {
        cellsBusy = 0;
      }
    } else {
      Thread.onSpinWait();
    }
  }

  /**
   * Eight cells a processor, at least 64: the table only grows while threads collide, and only the
   * cells that threads land in are made, so a big cap costs a bigger array of references, not cells.
   * It lets threads whose ids are equal modulo a small table move apart.
   */
  private static int cellLimit() {
    int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 8 - 1)) << 1;
    return Math.max(64, n);
  }

  /** A cell in the table, padded so that cells written by different threads do not share a cache line. */
  @SuppressWarnings("unused")
  static final class PaddedCell extends CounterCell {
    private long p0;
    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
  }
}
