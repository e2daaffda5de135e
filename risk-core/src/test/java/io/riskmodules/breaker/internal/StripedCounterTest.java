package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The count of a window's fast successes, its contended cells made deterministic through a test
 * hook: a thread that lost a race on the base counts in the cell of its id (wrapped), and every
 * cell is summed with the base.
 */
class StripedCounterTest {
  private final StripedCounter counter = new StripedCounter();

  @Test
  void anUncontendedCountIsExact() {
    assertThat(counter.sum()).isZero();
    for (int i = 0; i < 1_000; i++) {
      counter.increment();
    }
    assertThat(counter.sum()).isEqualTo(1_000);
  }

  @Test
  void countsInEveryCellAreSummedWithTheBase() {
    counter.increment();
    counter.increment(); // on the base
    int cells = StripedCounter.cellsForTest();
    assertThat(cells).isBetween(2, 64);
    assertThat(Integer.bitCount(cells)).as("a power of two").isEqualTo(1);
    long expected = 2;
    // thread ids beyond the table wrap around: every cell gets a different number of counts
    for (int home = 0; home < 3 * cells; home++) {
      for (int i = 0; i <= home % cells; i++) {
        counter.incrementContendedForTest(home);
        expected++;
      }
      assertThat(counter.sum()).as("after home %d", home).isEqualTo(expected);
    }
  }

  @Test
  void onceCellsExistUncontendedIncrementsUseThemAndAreCountedToo() {
    counter.incrementContendedForTest(1);
    for (int i = 0; i < 100; i++) {
      counter.increment();
    }
    assertThat(counter.sum()).isEqualTo(101);
  }

  @Test
  void theHighestCellIsSummed() {
    counter.incrementContendedForTest(StripedCounter.cellsForTest() - 1);
    assertThat(counter.sum()).isEqualTo(1);
  }

  @Test
  void aThreadCountsInTheCellAtItsId() throws InterruptedException {
    int cells = StripedCounter.cellsForTest();
    counter.incrementContendedForTest(0); // the cells exist
    // a thread of its own, whose id (ids are handed out in order) is not at cell 0
    Thread thread = new Thread(counter::increment);
    while (threadId(thread) % cells == 0) {
      thread = new Thread(counter::increment);
    }
    int cell = (int) (threadId(thread) % cells);
    thread.start(); // and joined: one increment, nothing runs alongside
    thread.join();
    long[] counts = counter.cellCountsForTest();
    for (int c = 0; c < cells; c++) {
      assertThat(counts[c]).as("cell %d", c).isEqualTo(c == 0 || c == cell ? 1 : 0);
    }
  }

  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+
  private static long threadId(Thread thread) {
    return thread.getId();
  }
}
