package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.ThresholdExceeded;
import java.util.Locale;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The sliding window of one CLOSED state: the outcomes of the calls that state permitted, the
 * consecutive-failure streak and the decision to trip. A window belongs to one CLOSED state (a
 * reconfigure that keeps type and size hands it on); it is {@link #retire() retired} when that
 * state is left, and from then on nothing enters it.
 *
 * <p><b>One order.</b> The outcomes in a window form one sequence, and every count, rate and
 * streak is that of a prefix of it. Failures and slow successes ("locked outcomes") are recorded
 * under the lock; fast successes only increment a striped counter, the {@link FastLane}. A locked
 * outcome takes position {@code lane.sum() + lockedOutcomes + 1}, read under the lock: the fast
 * successes counted before it come before it, those counted after come after. The streak is derived from
 * the positions alone (a failure extends it only if the outcome just before it was a failure), so
 * a success never writes it and can never lose a race with a failure over it.
 *
 * <p><b>A decision is one step.</b> The count a locked outcome reads is that of some moment during
 * the read (increments are by one), and its place is fixed there. If its judgement does not trip,
 * nothing more is needed: a fast success that increments after the read comes after the outcome,
 * and whatever it and its thread do next (return at once, get a permit from the CLOSED breaker) is
 * what that order gives, since a success cannot trip a window that was settled and judged not to
 * trip (see below). A trip is different: callers see it only when the breaker moves to OPEN, later,
 * still under the lock, and no fast success may end in between: its thread could then call again
 * and be let through by the still CLOSED breaker, after a success the tripped window never counted
 * (an order no sequence of the calls gives). So a judgement that finds a reason to trip first
 * clears the lane's {@code settledFor}, then reads the count again; a fast success increments,
 * then reads {@code settledFor} again. Found unchanged, its increment came before the clear, so
 * before the second read (every access of both is volatile, see {@link StripedCounter}), which counts it.
 * Found cleared, it takes the lock, so it ends after the verdict and its move to OPEN. If the
 * second read found successes the first did not, they may already have returned (and their threads
 * been let through again), so they come first: the outcome is taken back, placed after them, and
 * the window judged again. That verdict is final (from the clear on, no success ends without the
 * lock); the successes may have lowered a rate or broken the streak, and then it does not trip
 * and settles the window again. A success judged under the lock follows the same two steps.
 *
 * <p><b>When a fast success may skip the lock.</b> A fast success cannot raise a failure or slow
 * rate, nor the streak; it can only push the number of calls up to the minimum, and in a time
 * window the calls can also fall below it as seconds expire. So a success skips the lock only
 * while the window is <i>settled</i> for its config: its last judgement, under that same config,
 * found at least the minimum number of calls and no reason to trip, and (time window) the second
 * has not changed since. Everything else is judged under the lock, as each locked outcome is.
 *
 * <p><b>Why the window is its own lock.</b> On a breaker called from several threads, every line
 * a failure touches under the lock was last written by another core, and each costs a transfer.
 * With the lock's state in the window object (an {@link AbstractQueuedSynchronizer}: spin briefly,
 * then queue and park; reentrant, as {@code ReentrantLock} is) the state and the fields it guards
 * share lines instead of living in three objects; what successes read is in the {@link FastLane}.
 */
@SuppressWarnings("serial") // never serialized; the superclass is Serializable
abstract class Window extends AbstractQueuedSynchronizer {

  /** The longest pause between two looks at a held lock, in spin-wait hints; then it parks. */
  private static final int MAX_PAUSE = 128;

  /** The fast successes and the settled marks; read by successes through their state, not here. */
  final FastLane lane;

  // Guarded by the lock.
  /** Failures and slow successes recorded. */
  long lockedOutcomes;
  /** Position of the newest locked outcome (1-based; 0: none yet). */
  private long lastLockedPosition;
  /** Failures in a row ending at {@link #lastLockedPosition} (0 if that was a success). */
  private int streak;
  /** The counts when the window was retired, or null while it records. */
  private Counts frozen;
  /**
   * Test hook, null outside tests: runs when a trip judgement has cleared the lane's settledFor and
   * before it reads the fast count again, where a success of another thread that passed its first
   * check just before the clear would count itself. Read on the trip path only.
   */
  Runnable heldForTest;

  /**
   * Records a success of a call that {@code state} permitted, ended at {@code nowNanos}.
   *
   * @return the transition to OPEN it caused, to publish, or null
   */
  final StateTransition recordSuccess(ClosedState state, long nowNanos, boolean slow) {
    CircuitBreakerConfig config = state.config;
    FastLane lane = state.lane; // not this.lane: see FastLane
    if (!slow && lane.settledFor == config && lane.settledAt(nowNanos)) {
      lane.increment();
      if (lane.settledFor == config && lane.settledAt(nowNanos)) {
        return null;
      }
      // a trip is being decided, or the window moved on, between the check and the increment:
      // wait for it and judge the window like any other
      lock();
      try {
        return frozen != null ? null : judge(state, nowNanos);
      } finally {
        unlock();
      }
    }
    lock();
    try {
      if (frozen != null) {
        return null;
      }
      if (slow) {
        return recordLocked(state, nowNanos, false, true);
      }
      // move to now first, so that a success of a new second is not folded into the old one
      long fastNow = beginLocked(nowNanos);
      advance(nowNanos, fastNow, fastNow + lockedOutcomes);
      lane.increment();
      return judge(state, nowNanos);
    } finally {
      unlock();
    }
  }

  /** Records a failure, as {@link #recordSuccess} a success. */
  final StateTransition recordFailure(ClosedState state, long nowNanos, boolean slow) {
    lock();
    try {
      return frozen != null ? null : recordLocked(state, nowNanos, true, slow);
    } finally {
      unlock();
    }
  }

  /** Calls, failures and slow calls now in the window (as retired, once it is). */
  final Counts counts(long nowNanos) {
    lock();
    try {
      if (frozen != null) {
        return frozen;
      }
      long fastNow = beginLocked(nowNanos);
      advance(nowNanos, fastNow, fastNow + lockedOutcomes);
      return new Counts(calls(fastNow), failures(), slowCalls());
    } finally {
      unlock();
    }
  }

  /** Failures since the last success, in this window's order. */
  final int consecutiveFailures() {
    lock();
    try {
      return lane.sum() + lockedOutcomes == lastLockedPosition ? streak : 0;
    } finally {
      unlock();
    }
  }

  /**
   * The CLOSED state that recorded into this window was left at {@code nowNanos}: from now on the
   * window keeps its counts as they were then (the status of a tripped breaker shows the rates it tripped on), and
   * outcomes of calls that state permitted change nothing.
   */
  final void retire(long nowNanos) {
    lock();
    try {
      if (frozen == null) {
        lane.settledFor = null;
        long fastNow = lane.sum();
        advance(nowNanos, fastNow, fastNow + lockedOutcomes);
        frozen = new Counts(calls(fastNow), failures(), slowCalls());
      }
    } finally {
      unlock();
    }
  }

  /** A failure or slow success: a position of its own. Call with the lock held. */
  private StateTransition recordLocked(ClosedState state, long nowNanos, boolean failure, boolean slow) {
    long fastNow = beginLocked(nowNanos);
    long position = placeAt(nowNanos, fastNow, failure, slow);
    int run = streakAt(position, failure);
    Breach breach = evaluate(state.config, run, calls(fastNow), failures(), slowCalls());
    if (breach != null) {
      long again = holdFastSuccesses();
      if (again != fastNow) {
        // successes ended between the read and now, and may already have been answered as if the
        // window were still settled: they come first, and the outcome is placed after them
        unplace(position, failure, slow);
        fastNow = again;
        position = placeAt(nowNanos, fastNow, failure, slow);
        run = streakAt(position, failure);
        breach = evaluate(state.config, run, calls(fastNow), failures(), slowCalls());
      }
    }
    lockedOutcomes++;
    streak = run;
    lastLockedPosition = position;
    return conclude(state, breach, fastNow);
  }

  /**
   * Judges the window as it is, after a fast success. Call with the lock held. The newest outcome
   * is a success (this one, or one counted after it), so there is no streak to judge.
   */
  private StateTransition judge(ClosedState state, long nowNanos) {
    long fastNow = beginLocked(nowNanos);
    advance(nowNanos, fastNow, fastNow + lockedOutcomes);
    Breach breach = evaluate(state.config, 0, calls(fastNow), failures(), slowCalls());
    if (breach != null) {
      long again = holdFastSuccesses();
      if (again != fastNow) {
        fastNow = again;
        advance(nowNanos, fastNow, fastNow + lockedOutcomes);
        breach = evaluate(state.config, 0, calls(fastNow), failures(), slowCalls());
      }
    }
    return conclude(state, breach, fastNow);
  }

  /** Advances to the next position after {@code fastNow} fast successes and writes the outcome there. */
  private long placeAt(long nowNanos, long fastNow, boolean failure, boolean slow) {
    long position = fastNow + lockedOutcomes + 1;
    advance(nowNanos, fastNow, position);
    place(position, failure, slow);
    return position;
  }

  /** The streak with a locked outcome at {@code position}, derived from positions alone. */
  private int streakAt(long position, boolean failure) {
    return failure ? (lastLockedPosition == position - 1 ? streak + 1 : 1) : 0;
  }

  /**
   * A judgement found a reason to trip: from here on no fast success ends without the lock (see
   * "A decision is one step"). Call with the lock held.
   *
   * @return {@code lane.sum()}, read after that
   */
  private long holdFastSuccesses() {
    lane.settledFor = null;
    Runnable hook = heldForTest;
    if (hook != null) {
      hook.run();
    }
    return lane.sum();
  }

  /**
   * Acts on the final verdict on the window as just advanced; settles it if it may skip the lock.
   * A window that trips is frozen there and then, and the breaker moved to OPEN before the lock is
   * let go: no outcome enters it, and no read sees it, between the decision and OPEN.
   */
  private StateTransition conclude(ClosedState state, Breach breach, long fastNow) {
    long calls = calls(fastNow);
    if (breach != null) {
      // fast successes were stopped when the breach was found (holdFastSuccesses), and a frozen
      // window is never settled again
      frozen = new Counts(calls, failures(), slowCalls());
      return state.tripUnderLock(breach);
    }
    CircuitBreakerConfig config = state.config;
    long minimum = Math.min(config.minimumNumberOfCalls(), capacity());
    // written only when it changes: every fast success reads it
    if (calls >= minimum) {
      settle();
      if (lane.settledFor != config) {
        lane.settledFor = config;
      }
    } else if (lane.settledFor != null) {
      lane.settledFor = null;
    }
    return null;
  }

  /**
   * Takes the lock, spinning briefly first: it is held for well under a microsecond, far less
   * than parking and waking a thread costs, and two threads that fail at once would otherwise park
   * each other.
   */
  final void lock() {
    Thread me = Thread.currentThread();
    if (compareAndSetState(0, 1)) {
      setExclusiveOwnerThread(me);
      return;
    }
    if (getExclusiveOwnerThread() == me) {
      // a trip retires the window it is deciding in, under the same hold
      setState(getState() + 1);
      return;
    }
    // each look at the state takes the line the holder writes: look less often the longer it holds
    for (int pause = 1; pause <= MAX_PAUSE; pause <<= 1) {
      for (int i = 0; i < pause; i++) {
        Thread.onSpinWait();
      }
      if (getState() == 0 && compareAndSetState(0, 1)) {
        setExclusiveOwnerThread(me);
        return;
      }
    }
    acquire(1);
  }

  /** Lets go of one hold taken by {@link #lock}. */
  final void unlock() {
    release(1);
  }

  /**
   * Takes a free lock for a thread queued by {@link #lock}, which has already found that it is not
   * the owner. The state counts the owner's holds.
   */
  @Override
  protected final boolean tryAcquire(int holds) {
    if (getState() == 0 && compareAndSetState(0, holds)) {
      setExclusiveOwnerThread(Thread.currentThread());
      return true;
    }
    return false;
  }

  @Override
  protected final boolean tryRelease(int holds) {
    int state = getState() - holds;
    if (state == 0) {
      setExclusiveOwnerThread(null);
    }
    setState(state);
    return state == 0;
  }

  Window(FastLane lane) {
    this.lane = lane;
  }

  // ---------------------------------------------------------------- what the two kinds differ in

  /**
   * Called under the lock before the fast count is read: a time window whose second is about to
   * change must stop fast successes from skipping the lock first (see {@link TimeWindow}).
   *
   * @return {@code lane.sum()}
   */
  abstract long beginLocked(long nowNanos);

  /**
   * Moves the window on to {@code nowNanos} (time) or to the outcome at {@code position} (count),
   * given {@code fastNow} fast successes so far. Call with the lock held.
   */
  abstract void advance(long nowNanos, long fastNow, long position);

  /** Writes a locked outcome at {@code position}, just {@link #advance advanced} to. */
  abstract void place(long position, boolean failure, boolean slow);

  /**
   * Takes back the outcome just {@link #place placed} at {@code position} (nothing has moved since),
   * so that it can be placed again further on.
   */
  abstract void unplace(long position, boolean failure, boolean slow);

  /** Calls in the window as last advanced, given {@code fastNow} fast successes so far. */
  abstract long calls(long fastNow);

  /** Failures in the window as last advanced. */
  abstract long failures();

  /** Slow calls in the window as last advanced. */
  abstract long slowCalls();

  /** The current span is settled (called under the lock before the lane's settledFor is set). */
  abstract void settle();

  /** The most calls the window can hold. */
  abstract long capacity();

  /** Whether this window can serve a breaker reconfigured to {@code config}. */
  abstract boolean fits(CircuitBreakerConfig config);

  /** A window of the type and size {@code config} asks for. */
  static Window create(CircuitBreakerConfig config, long nowNanos) {
    switch (config.slidingWindowType()) {
      case TIME_BASED:
        // the lane before the window: see FastLane
        FastLane timeLane = new FastLane(FastLane.NO_SECOND);
        return new TimeWindow(config.slidingWindowSize(), nowNanos, timeLane);
      case COUNT_BASED:
      default:
        FastLane countLane = new FastLane(FastLane.ANY_SECOND);
        return new CountWindow(config.slidingWindowSize(), countLane);
    }
  }

  /** The trip decision, shared by both window types: the threshold crossed, or null. */
  static Breach evaluate(
      CircuitBreakerConfig config, int consecutive, long calls, long failures, long slow) {
    if (consecutive >= config.failureThreshold()) {
      return new Breach(Breach.CONSECUTIVE_FAILURES, consecutive, config.failureThreshold(), calls);
    }
    long minimum = Math.min(config.minimumNumberOfCalls(), windowCapacity(config));
    if (calls < minimum || calls == 0) {
      return null;
    }
    // the thresholds are in (0, 1]: a rate of 0 never reaches one
    double failureRate = (double) failures / calls;
    if (failureRate >= config.failureRateThreshold()) {
      return new Breach(Breach.FAILURE_RATE, failureRate, config.failureRateThreshold(), calls);
    }
    double slowRate = (double) slow / calls;
    if (config.slowCallDetection() && slowRate >= config.slowCallRateThreshold()) {
      return new Breach(Breach.SLOW_CALL_RATE, slowRate, config.slowCallRateThreshold(), calls);
    }
    return null;
  }

  /** A threshold a window crossed: what {@link ThresholdExceeded} says, before it has a name and a time. */
  record Breach(int kind, double measured, double threshold, long calls) {
    static final int CONSECUTIVE_FAILURES = 0;
    static final int FAILURE_RATE = 1;
    static final int SLOW_CALL_RATE = 2;

    /** The reason the transition to OPEN gives. */
    String reason() {
      switch (kind) {
        case CONSECUTIVE_FAILURES:
          return (int) measured + " consecutive failures (failure_threshold " + (int) threshold + ")";
        case FAILURE_RATE:
          return String.format(Locale.ROOT, "failure rate %.1f%% >= %.1f%% over %d calls",
              measured * 100, threshold * 100, calls);
        default:
          return String.format(Locale.ROOT, "slow-call rate %.1f%% >= %.1f%% over %d calls",
              measured * 100, threshold * 100, calls);
      }
    }

    ThresholdExceeded event(String breakerName, long epochMillis, java.util.Map<String, String> tags) {
      switch (kind) {
        case CONSECUTIVE_FAILURES:
          return new ThresholdExceeded.ConsecutiveFailures(breakerName, epochMillis, (int) measured, (int) threshold, tags);
        case FAILURE_RATE:
          return new ThresholdExceeded.FailureRate(breakerName, epochMillis, measured, threshold, calls, tags);
        default:
          return new ThresholdExceeded.SlowCallRate(breakerName, epochMillis, measured, threshold, calls, tags);
      }
    }
  }

  private static long windowCapacity(CircuitBreakerConfig config) {
    switch (config.slidingWindowType()) {
      case COUNT_BASED:
        return config.slidingWindowSize();
      default:
        return Long.MAX_VALUE;
    }
  }

  /** What a window holds at one moment. */
  record Counts(long calls, long failures, long slow) {
    static final Counts EMPTY = new Counts(0, 0, 0);

    double failureRate() {
      return calls == 0 ? 0.0 : (double) failures / calls;
    }

    double slowRate() {
      return calls == 0 ? 0.0 : (double) slow / calls;
    }
  }
}
