package io.riskmodules.testing;

import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a breaker's status, shared by {@link CircuitBreakerAssert} (which takes a fresh
 * snapshot for each check) and {@link CircuitBreakerStatusAssert}. A failing check prints the whole
 * status: state, counts, window, transitions and config.
 *
 * <p>Rates are compared with a tolerance of {@value #RATE_TOLERANCE}, so that {@code
 * hasFailureRate(0.6)} holds for 3 failures out of 5.
 *
 * @param <SELF> the concrete assertion
 * @param <ACTUAL> what is asserted on
 */
public abstract class AbstractBreakerAssert<SELF extends AbstractBreakerAssert<SELF, ACTUAL>, ACTUAL>
    extends AbstractAssert<SELF, ACTUAL> {

  /** How far a rate may be from the expected one. */
  public static final double RATE_TOLERANCE = 1e-9;

  protected AbstractBreakerAssert(ACTUAL actual, Class<?> selfType) {
    super(actual, selfType);
  }

  /** The status to check: a new snapshot of a live breaker, or the snapshot under test. */
  protected abstract CircuitBreakerStatus status();

  private SELF check(boolean holds, CircuitBreakerStatus s, String expectation, Object... args) {
    if (!holds) {
      failWithMessage("%nExpecting " + expectation + "%nbut it was:%n%s", append(args, Describe.status(s)));
    }
    return myself;
  }

  private static Object[] append(Object[] args, Object last) {
    Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }

  /** The breaker is in {@code state}. */
  public SELF isInState(CircuitState state) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.state() == state, s, "state %s", state);
  }

  /** CLOSED. */
  public SELF isClosed() {
    return isInState(CircuitState.CLOSED);
  }

  /** OPEN (tripped by failures or slow calls, waiting for its open timeout). */
  public SELF isOpen() {
    return isInState(CircuitState.OPEN);
  }

  /** HALF_OPEN (probing). */
  public SELF isHalfOpen() {
    return isInState(CircuitState.HALF_OPEN);
  }

  /** FORCED_OPEN (tripped by an operator). */
  public SELF isForcedOpen() {
    return isInState(CircuitState.FORCED_OPEN);
  }

  /** DISABLED (lets everything through). */
  public SELF isDisabled() {
    return isInState(CircuitState.DISABLED);
  }

  /** Failures over recorded calls in the window, within {@link #RATE_TOLERANCE}. */
  public SELF hasFailureRate(double rate) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(Math.abs(s.failureRate() - rate) <= RATE_TOLERANCE, s, "failure rate %s", rate);
  }

  /** Slow calls over recorded calls in the window, within {@link #RATE_TOLERANCE}. */
  public SELF hasSlowCallRate(double rate) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(Math.abs(s.slowCallRate() - rate) <= RATE_TOLERANCE, s, "slow-call rate %s", rate);
  }

  /** Calls it was asked to run, over its life. */
  public SELF hasTotalCalls(long n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.totalCalls() == n, s, "%s call(s) in total", n);
  }

  /** Calls that ran and succeeded. */
  public SELF hasSuccessfulCalls(long n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.successfulCalls() == n, s, "%s successful call(s)", n);
  }

  /** Calls that ran and failed. */
  public SELF hasFailedCalls(long n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.failedCalls() == n, s, "%s failed call(s)", n);
  }

  /** Calls slower than the slow-call threshold. */
  public SELF hasSlowCalls(long n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.slowCalls() == n, s, "%s slow call(s)", n);
  }

  /** Calls it did not permit. */
  public SELF hasRejectedCalls(long n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.rejectedCalls() == n, s, "%s rejected call(s)", n);
  }

  /** Calls that threw an ignored exception. */
  public SELF hasIgnoredCalls(long n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.ignoredCalls() == n, s, "%s ignored call(s)", n);
  }

  /** Calls recorded in the sliding window. */
  public SELF hasCallsInWindow(long n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.callsInWindow() == n, s, "%s call(s) in the window", n);
  }

  /** A clean window: no call recorded, no failure streak. */
  public SELF hasEmptyWindow() {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.callsInWindow() == 0 && s.consecutiveFailures() == 0, s,
        "an empty window (no call recorded, no consecutive failure)");
  }

  /** Failures since the last success in CLOSED. */
  public SELF hasConsecutiveFailures(int n) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.consecutiveFailures() == n, s, "%s consecutive failure(s)", n);
  }

  /** Time until an OPEN breaker lets probes through, to the millisecond. */
  public SELF hasRemainingOpenTime(Duration remaining) {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.remainingOpenMillis() == remaining.toMillis(), s, "%s ms of open time left", remaining.toMillis());
  }

  /** The window holds enough calls for its rates to count. */
  public SELF hasEnoughCalls() {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(s.enoughCalls(), s, "enough calls in the window for its rates to count");
  }

  /** The window holds too few calls for its rates to count. */
  public SELF hasNotEnoughCalls() {
    isNotNull();
    CircuitBreakerStatus s = status();
    return check(!s.enoughCalls(), s, "too few calls in the window for its rates to count");
  }

  /** The last transition went from {@code from} to {@code to}. */
  public SELF hasLastTransition(CircuitState from, CircuitState to) {
    isNotNull();
    CircuitBreakerStatus s = status();
    List<StateTransition> ts = s.lastTransitions();
    StateTransition last = ts.isEmpty() ? null : ts.get(ts.size() - 1);
    return check(last != null && last.from() == from && last.to() == to, s, "last transition %s -> %s", from, to);
  }

  /** Among its last transitions, these states were entered in this order (others may come between). */
  public SELF hasPassedThrough(CircuitState... states) {
    isNotNull();
    CircuitBreakerStatus s = status();
    int next = 0;
    for (StateTransition t : s.lastTransitions()) {
      if (next < states.length && t.to() == states[next]) {
        next++;
      }
    }
    return check(next == states.length, s, "to have entered %s in this order", java.util.Arrays.toString(states));
  }
}
