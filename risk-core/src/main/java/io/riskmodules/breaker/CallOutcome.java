package io.riskmodules.breaker;

/** How a call ended, as the breaker counted it. */
public enum CallOutcome {
  /** Ran and succeeded (slow successes included; see {@link CallEvent#slow()}). */
  SUCCESS,
  /** Ran and failed: a recorded exception, or a result the result predicate rejects. */
  FAILURE,
  /** Ran and threw an ignored exception: neither success nor failure. */
  IGNORED,
  /** Did not run: the breaker did not permit it. */
  REJECTED
}
