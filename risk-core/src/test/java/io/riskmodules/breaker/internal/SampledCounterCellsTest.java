package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The contended cells of the success counter, made deterministic through its test hooks: which
 * cell a thread lands in, that every cell is summed, and that calls counted in a cell are shown
 * with weights that add up to them.
 */
class SampledCounterCellsTest {
  private final SampledCounter counter = new SampledCounter();

  @Test
  void theFirstContentionMakesTwoCellsAndEachRaceDoublesThem() {
    assertThat(counter.cellTableSizeForTest()).isZero();
    counter.growCellsForTest();
    assertThat(counter.cellTableSizeForTest()).isEqualTo(2);
    counter.growCellsForTest();
    counter.growCellsForTest();
    assertThat(counter.cellTableSizeForTest()).isEqualTo(8);
  }

  @Test
  void withoutCellsAContendedIncrementFallsBackOnTheBase() {
    counter.incrementContendedForTest(3);
    assertThat(counter.cellTableSizeForTest()).isZero();
    assertThat(counter.sum()).isEqualTo(1);
  }

  @Test
  void everyCellIsSummedWhateverThreadsLandInIt() {
    counter.incrementAndSample(() -> 0L); // on the base
    counter.growCellsForTest();
    counter.growCellsForTest(); // 4 cells
    long expected = 1;
    for (int home = 0; home < 11; home++) {
      for (int i = 0; i <= home; i++) {
        counter.incrementContendedForTest(home);
        expected++;
      }
      assertThat(counter.sum()).isEqualTo(expected);
    }
    counter.growCellsForTest(); // 8 cells: the old ones are kept
    counter.incrementContendedForTest(7);
    assertThat(counter.sum()).isEqualTo(expected + 1);
    assertThat(counter.cellTableSizeForTest()).isEqualTo(8);
  }

  @Test
  void callsCountedInACellAreShownWithWeightsThatAddUpToThem() {
    AtomicLong nanos = new AtomicLong();
    Ticker quiet = () -> nanos.addAndGet(10_000_000L); // 100 calls a second: every call is shown
    counter.growCellsForTest();
    List<Integer> weights = new ArrayList<>();
    int calls = 50;
    for (int i = 0; i < calls; i++) {
      weights.add(counter.incrementAndSample(quiet));
    }
    assertThat(counter.sum()).isEqualTo(calls);
    // the first call lands before its cell exists and is shown with the next one
    assertThat(weights.get(0)).isEqualTo(SampledCounter.SKIP);
    assertThat(weights.get(1)).isEqualTo(2);
    assertThat(weights.subList(2, calls)).containsOnly(1);
    assertThat(weights.stream().mapToLong(Integer::longValue).sum()).isEqualTo(calls);
  }

  @Test
  void aThreadMakesOnlyItsOwnCell() {
    counter.growCellsForTest();
    counter.growCellsForTest(); // 4 slots, no cell yet
    counter.incrementContendedForTest(2);
    // the cap (64 and more) makes a big array of references, not cells: only the cells used are made
    assertThat(counter.cellCountsForTest()).containsExactly(-1, -1, 1, -1);
  }

  @Test
  void afterTheTableDoublesAThreadWhoseSlotIsNewCountsInANewCellNotInAnotherThreads() {
    counter.growCellsForTest();
    counter.incrementContendedForTest(0);
    counter.incrementContendedForTest(1);
    counter.growCellsForTest(); // the two cells kept, two new slots
    counter.incrementContendedForTest(2);
    assertThat(counter.cellCountsForTest()).containsExactly(1, 1, 1, -1);
  }

  @Test
  void aThreadCountsInTheCellAtItsId() {
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+
    long id = Thread.currentThread().getId();
    while (counter.cellTableSizeForTest() <= id) {
      counter.growCellsForTest();
    }
    counter.incrementAndSample(null);
    long[] counts = counter.cellCountsForTest();
    for (int slot = 0; slot < counts.length; slot++) {
      assertThat(counts[slot]).as("slot %d", slot).isEqualTo(slot == id ? 1 : -1);
    }
  }
}
