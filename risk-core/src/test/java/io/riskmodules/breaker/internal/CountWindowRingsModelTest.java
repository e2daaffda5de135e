package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interleaved failure and slow rings of a count window against a plain list of outcomes: every
 * window size around the 64-slot words, long runs of fast successes (jumps of a whole window and
 * more with only one ring set), slow failures, and outcomes taken back and placed further on as a
 * trip decision does.
 */
class CountWindowRingsModelTest {

  /** 0 success, 1 failure, 2 slow success, 3 slow failure. */
  private static int outcome(boolean failure, boolean slow) {
    return (failure ? 1 : 0) | (slow ? 2 : 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 63, 64, 65, 100, 127, 128, 129, 191, 200})
  void theRingsCountWhatAListOfTheLastSizeOutcomesCounts(int size) {
    for (long seed = 1; seed <= 300; seed++) {
      SplittableRandom random = new SplittableRandom(seed * 31 + size);
      FastLane lane = new FastLane(FastLane.ANY_SECOND);
      CountWindow window = new CountWindow(size, lane);
      List<Integer> sequence = new ArrayList<>();
      long fast = 0;
      // bias: some histories only fail, some are only slow
      int mode = random.nextInt(4);
      for (int step = 0; step < 400; step++) {
        int r = random.nextInt(10);
        if (r < 4) {
          int k = random.nextInt(8) == 0 ? random.nextInt(3 * size + 2) : 1 + random.nextInt(3);
          for (int i = 0; i < k; i++) {
            lane.increment();
            sequence.add(0);
          }
          fast += k;
        } else {
          boolean failure = mode == 1 || (mode != 2 && random.nextBoolean());
          boolean slow = mode == 2 || (mode != 1 && random.nextBoolean());
          if (!failure && !slow) {
            failure = true;
          }
          long position = fast + window.lockedOutcomes + 1;
          window.advance(0, fast, position);
          window.place(position, failure, slow);
          if (random.nextInt(5) == 0) {
            // a trip decision found successes that ended meanwhile: they come first
            int k = random.nextInt(8) == 0 ? random.nextInt(2 * size + 2) : 1 + random.nextInt(3);
            for (int i = 0; i < k; i++) {
              lane.increment();
              sequence.add(0);
            }
            fast += k;
            window.unplace(position, failure, slow);
            position = fast + window.lockedOutcomes + 1;
            window.advance(0, fast, position);
            window.place(position, failure, slow);
          }
          window.lockedOutcomes++;
          sequence.add(outcome(failure, slow));
        }
        assertThat(lane.sum()).isEqualTo(fast);
        window.advance(0, fast, fast + window.lockedOutcomes);
        List<Integer> last = sequence.subList(Math.max(0, sequence.size() - size), sequence.size());
        long failures = last.stream().filter(o -> (o & 1) != 0).count();
        long slowCalls = last.stream().filter(o -> (o & 2) != 0).count();
        String where = "size " + size + " seed " + seed + " step " + step;
        assertThat(window.calls(fast)).as(where).isEqualTo(last.size());
        assertThat(window.failures()).as(where).isEqualTo(failures);
        assertThat(window.slowCalls()).as(where).isEqualTo(slowCalls);
      }
    }
  }
}
