package io.riskmodules.breaker;

/** How the sliding window over which failure and slow-call rates are computed is bounded. */
public enum SlidingWindowType {
  /** The last {@code sliding_window_size} calls. Recording a fast success takes no lock. */
  COUNT_BASED,
  /** The calls of the last {@code sliding_window_size} seconds, in one-second buckets. */
  TIME_BASED
}
