package io.riskmodules.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count that threads increment without meeting and a lock holder reads now and then: a base
 * while uncontended, then cells a cache line apart, at the thread's id (threads of a pool have
 * consecutive ids, so they get different cells) or the next free one.
 *
 * <p>Unlike {@link java.util.concurrent.atomic.LongAdder}, every access is a volatile one (a CAS
 * or a volatile read, the cells included: they live in an {@link AtomicLongArray} installed by a
 * CAS). A window relies on that: a thread that increments and then reads a volatile flag unchanged
 * knows that a {@link #sum()} begun after the flag's change sees its increment.
 *
 * <p>Increments are by one, so a sum taken while others increment equals the count at some moment
 * during the sum.
 */
class StripedCounter {

  /** Longs per cell: 128 bytes, two cache lines, so that neighbours never share one. */
  private static final int STRIDE = 16;
  private static final int CELLS = cellCount();
  private static final VarHandle BASE;
  private static final VarHandle TABLE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      BASE = lookup.findVarHandle(StripedCounter.class, "base", long.class);
      TABLE = lookup.findVarHandle(StripedCounter.class, "table", AtomicLongArray.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long base;
  /** Made on the first collision and never replaced, so no increment is ever lost to a resize. */
  private volatile AtomicLongArray table;

  final void increment() {
    AtomicLongArray t = table;
    if (t == null) {
      long b = base;
      if (BASE.compareAndSet(this, b, b + 1)) {
        return;
      }
      t = makeTable();
    }
    incrementCell(t, home());
  }

  /** Counts one in the cell of a thread of id {@code home}, or the next free one. */
  private static void incrementCell(AtomicLongArray t, int home) {
    for (int attempt = 0; ; attempt++) {
      int index = slot((home + attempt) & (CELLS - 1));
      long v = t.get(index);
      if (t.compareAndSet(index, v, v + 1)) {
        return;
      }
    }
  }

  final long sum() {
    long total = base;
    AtomicLongArray t = table;
    if (t != null) {
      for (int cell = 0; cell < CELLS; cell++) {
        total += t.get(slot(cell));
      }
    }
    return total;
  }

  /** Test hook: counts one the way a thread of id {@code home} that lost a race on the base does. */
  void incrementContendedForTest(int home) {
    AtomicLongArray t = table;
    incrementCell(t != null ? t : makeTable(), home);
  }

  /** Test hook: the count in each cell; empty before the first collision. */
  long[] cellCountsForTest() {
    AtomicLongArray t = table;
    long[] counts = new long[t == null ? 0 : CELLS];
    for (int cell = 0; cell < counts.length; cell++) {
      counts[cell] = t.get(slot(cell));
    }
    return counts;
  }

  /** Test hook: the number of cells a contended count is spread over. */
  static int cellsForTest() {
    return CELLS;
  }

  private AtomicLongArray makeTable() {
    // one cell's padding before the first and after the last: the array's header and whatever the
    // allocator puts next stay off the cells' lines
    TABLE.compareAndSet(this, null, new AtomicLongArray((CELLS + 2) * STRIDE));
    return table;
  }

  private static int slot(int cell) {
    return (cell + 1) * STRIDE;
  }

  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+, and we build for 17
  private static int home() {
    return (int) Thread.currentThread().getId();
  }

  /** As many as processors, a power of two from 2 to 64 (LongAdder's bound too). */
  private static int cellCount() {
    int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() - 1)) << 1;
    return Math.max(2, Math.min(64, n));
  }
}
