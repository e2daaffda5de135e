package io.riskmodules.failover.internal;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Smooth weighted round robin (as nginx does it): each pick adds every candidate's weight to its
 * running score, takes the highest score and subtracts the total from it. Over any run the picks
 * follow the weights, interleaved rather than in bursts, and deterministically. The scores are
 * guarded by a lock held for the arithmetic only.
 */
public final class SmoothWeightedRoundRobin {
  private final long[] scores;
  private final ReentrantLock lock = new ReentrantLock();

  public SmoothWeightedRoundRobin(int nodes) {
    this.scores = new long[nodes];
  }

  /**
   * Picks one of {@code candidates} (indices into the group's nodes) given each node's weight.
   *
   * @return the picked index, or -1 if there are no candidates
   */
  public int pick(List<Integer> candidates, int[] weights) {
    if (candidates.isEmpty()) {
      return -1;
    }
    lock.lock();
    try {
      long total = 0;
      int best = -1;
      for (int i : candidates) {
        scores[i] += weights[i];
        total += weights[i];
        if (best < 0 || scores[i] > scores[best]) {
          best = i;
        }
      }
      scores[best] -= total;
      return best;
    } finally {
      lock.unlock();
    }
  }
}
