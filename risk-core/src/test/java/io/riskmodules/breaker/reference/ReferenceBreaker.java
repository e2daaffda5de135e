package io.riskmodules.breaker.reference;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.SlidingWindowType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The breaker as the README and DESIGN.md describe it, written to be obviously right rather than
 * fast: every method holds the object's lock, windows are plain lists of outcomes, and every rule
 * is one short method. The differential tests run it beside the real breaker and compare them
 * after every step.
 *
 * <p>The rules it encodes, each from the README's "The circuit breaker" or DESIGN.md's table:
 * <ul>
 *   <li>A window holds only outcomes of calls it permitted in its CLOSED state: outcomes of calls
 *       permitted while DISABLED, HALF_OPEN or by an earlier window (one left by a transition, a
 *       reset or a reconfigure that replaced it) change nothing but the lifetime counts.
 *   <li>CLOSED trips when, after an outcome enters the window, the consecutive failures reach
 *       {@code failure_threshold}, or, once the window holds {@code minimum_number_of_calls}
 *       outcomes (or is full, if smaller), the failure rate or the slow-call rate reaches its
 *       threshold. Every recorded outcome is evaluated with the config in force.
 *   <li>The window a CLOSED state leaves keeps the counts it had then; OPEN and HALF_OPEN show them.
 *   <li>HALF_OPEN bounds the probes in flight; a probe that reports returns its permit; one held
 *       longer than {@code half_open_probe_timeout} may be taken over (the oldest first) and its
 *       outcome then counts nowhere. Probes of an earlier HALF_OPEN episode still hold their
 *       permits; their outcomes change nothing else.
 *   <li>A request for the state the breaker is in publishes nothing; reset() of a CLOSED breaker
 *       starts a fresh window and publishes nothing.
 *   <li>Wrapped failures ({@code CompletionException}, {@code ExecutionException}) are judged by
 *       their cause.
 *   <li>METRICS_ONLY records into its window as CLOSED does and never rejects; where CLOSED would
 *       trip, the window is frozen, one "would have opened" is counted, a new window starts, and no
 *       transition happens.
 *   <li>{@code tripFor(d)} is FORCED_OPEN for {@code d}, then CLOSED with a new window (seen by the
 *       next permit request, state or status); on a FORCED_OPEN breaker it only moves the end.
 * </ul>
 */
public final class ReferenceBreaker {

  private static final long SECOND = 1_000_000_000L;

  /** A permit handed out by {@link #acquire}. */
  public static final class Permit {
    final CircuitState grantedIn;
    /** The window that records the outcome, when granted in CLOSED. */
    final Window window;
    /** The HALF_OPEN episode, when a probe. */
    final Object episode;
    final long acquiredAt;
    boolean reported;
    /** A probe whose permit was taken over by a later one: its outcome counts nowhere. */
    boolean reclaimed;

    Permit(CircuitState grantedIn, Window window, Object episode, long acquiredAt) {
      this.grantedIn = grantedIn;
      this.window = window;
      this.episode = episode;
      this.acquiredAt = acquiredAt;
    }

    public CircuitState grantedIn() {
      return grantedIn;
    }
  }

  /** One transition, as a listener sees it. */
  public record Transition(CircuitState from, CircuitState to, long sequence) {}

  /** What {@code status()} shows. */
  public record Status(
      CircuitState state, long total, long successful, long failed, long slow, long rejected,
      long ignored, long callsInWindow, long failuresInWindow, long slowInWindow,
      int consecutiveFailures, long remainingOpenNanos) {

    public double failureRate() {
      return callsInWindow == 0 ? 0.0 : (double) failuresInWindow / callsInWindow;
    }

    public double slowCallRate() {
      return callsInWindow == 0 ? 0.0 : (double) slowInWindow / callsInWindow;
    }
  }

  private record Outcome(long second, boolean failed, boolean slow) {}

  private record Counts(long calls, long failures, long slow) {}

  /** A sliding window: the outcomes it holds, newest last. */
  static final class Window {
    final SlidingWindowType type;
    final int size;
    final Deque<Outcome> outcomes = new ArrayDeque<>();
    int consecutiveFailures;
    /** The counts when its CLOSED state was left; null while live. */
    Counts frozen;

    Window(SlidingWindowType type, int size) {
      this.type = type;
      this.size = size;
    }

    void add(Outcome o) {
      outcomes.addLast(o);
      if (type == SlidingWindowType.COUNT_BASED && outcomes.size() > size) {
        outcomes.removeFirst();
      }
    }

    Counts counts(long nowSecond) {
      if (frozen != null) {
        return frozen;
      }
      long calls = 0;
      long failures = 0;
      long slow = 0;
      for (Outcome o : outcomes) {
        if (type == SlidingWindowType.TIME_BASED && o.second() <= nowSecond - size) {
          continue;
        }
        calls++;
        failures += o.failed() ? 1 : 0;
        slow += o.slow() ? 1 : 0;
      }
      return new Counts(calls, failures, slow);
    }
  }

  private CircuitBreakerConfig config;
  private long now;
  private CircuitState state = CircuitState.CLOSED;
  /** The live window while CLOSED; the frozen one that tripped while OPEN or HALF_OPEN; else null. */
  private Window window;
  private long openedAt;
  private long openNanos;
  private int trips;
  private Object episode;
  private int probeSuccesses;
  private final List<Permit> probesInFlight = new ArrayList<>();
  private long sequence;
  private final List<Transition> transitions = new ArrayList<>();
  private long successful;
  private long failed;
  private long slow;
  private long rejected;
  private long ignored;
  /** Trips METRICS_ONLY prevented. */
  private long wouldHaveOpened;
  /** When a timed FORCED_OPEN ends; {@link Long#MAX_VALUE} for {@code trip()}. */
  private long forcedUntil = Long.MAX_VALUE;

  public ReferenceBreaker(CircuitBreakerConfig config, long nowNanos) {
    this.config = config;
    this.now = nowNanos;
    this.window = newWindow();
  }

  public synchronized void setTime(long nowNanos) {
    this.now = nowNanos;
  }

  public synchronized List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  public synchronized CircuitBreakerConfig config() {
    return config;
  }

  // ------------------------------------------------------------------ permits

  /** A permit, or null when the call is rejected. */
  public synchronized Permit acquire() {
    expireIfDue();
    switch (state) {
      case CLOSED:
        return new Permit(CircuitState.CLOSED, window, null, now);
      case METRICS_ONLY:
        return new Permit(CircuitState.METRICS_ONLY, window, null, now);
      case DISABLED:
        return new Permit(CircuitState.DISABLED, null, null, now);
      case HALF_OPEN:
        return acquireProbe();
      default:
        rejected++;
        return null;
    }
  }

  private Permit acquireProbe() {
    // overdue probes are taken over, oldest first, as many as it takes to make room (after a
    // reconfigure lowered the limit, more than one)
    while (probesInFlight.size() >= config.halfOpenMaxCalls()) {
      Permit oldest = null;
      for (Permit p : probesInFlight) {
        if (now - p.acquiredAt >= config.halfOpenProbeTimeout().toNanos()
            && (oldest == null || p.acquiredAt < oldest.acquiredAt)) {
          oldest = p;
        }
      }
      if (oldest == null) {
        break;
      }
      oldest.reclaimed = true;
      probesInFlight.remove(oldest);
    }
    if (probesInFlight.size() >= config.halfOpenMaxCalls()) {
      rejected++;
      return null;
    }
    Permit probe = new Permit(CircuitState.HALF_OPEN, null, episode, now);
    probesInFlight.add(probe);
    return probe;
  }

  /** The call succeeded after {@code durationNanos}. */
  public synchronized void onSuccess(Permit p, long durationNanos) {
    if (!first(p)) {
      return;
    }
    successful++;
    boolean isSlow = isSlow(durationNanos);
    slow += isSlow ? 1 : 0;
    if (recordsInWindow(p.grantedIn)) {
      if (inWindow(p)) {
        window.consecutiveFailures = 0;
        window.add(new Outcome(second(now), false, isSlow));
        evaluate();
      }
    } else if (p.grantedIn == CircuitState.HALF_OPEN && freeProbe(p)) {
      if (isSlow) {
        reopen();
      } else if (++probeSuccesses >= config.successThreshold()) {
        moveTo(CircuitState.CLOSED);
        window = newWindow();
      }
    }
  }

  /** The call failed after {@code durationNanos}. */
  public synchronized void onFailure(Permit p, long durationNanos) {
    if (!first(p)) {
      return;
    }
    failed++;
    boolean isSlow = isSlow(durationNanos);
    slow += isSlow ? 1 : 0;
    if (recordsInWindow(p.grantedIn)) {
      if (inWindow(p)) {
        window.consecutiveFailures++;
        window.add(new Outcome(second(now), true, isSlow));
        evaluate();
      }
    } else if (p.grantedIn == CircuitState.HALF_OPEN && freeProbe(p)) {
      reopen();
    }
  }

  /** The call's outcome does not count (ignored, cancelled, released). */
  public synchronized void onIgnored(Permit p) {
    if (!first(p)) {
      return;
    }
    ignored++;
    if (p.grantedIn == CircuitState.HALF_OPEN) {
      freeProbe(p);
    }
  }

  /** The call threw {@code error}: the config's rules decide, on the unwrapped cause. */
  public synchronized void onError(Permit p, long durationNanos, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (config.isIgnored(cause)) {
      onIgnored(p);
    } else if (config.isRecorded(cause)) {
      onFailure(p, durationNanos);
    } else {
      onSuccess(p, durationNanos);
    }
  }

  /** The call returned {@code result}: the result predicate decides. */
  public synchronized void onResult(Permit p, long durationNanos, Object result) {
    if (config.isFailureResult(result)) {
      onFailure(p, durationNanos);
    } else {
      onSuccess(p, durationNanos);
    }
  }

  private static boolean first(Permit p) {
    if (p.reported) {
      return false;
    }
    p.reported = true;
    return true;
  }

  private boolean inWindow(Permit p) {
    return state == p.grantedIn && p.window == window;
  }

  private static boolean recordsInWindow(CircuitState s) {
    return s == CircuitState.CLOSED || s == CircuitState.METRICS_ONLY;
  }

  /** Returns the probe's permit; false if it had been taken over (then its outcome counts nowhere). */
  private boolean freeProbe(Permit p) {
    if (p.reclaimed) {
      return false;
    }
    probesInFlight.remove(p);
    return state == CircuitState.HALF_OPEN && p.episode == episode;
  }

  private boolean isSlow(long durationNanos) {
    return config.slowCallDetection() && durationNanos > config.slowCallDurationThreshold().toNanos();
  }

  private void evaluate() {
    if (window.consecutiveFailures >= config.failureThreshold()) {
      tripOnWindow();
      return;
    }
    Counts c = window.counts(second(now));
    long minimum = config.slidingWindowType() == SlidingWindowType.COUNT_BASED
        ? Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize())
        : config.minimumNumberOfCalls();
    if (c.calls() == 0 || c.calls() < minimum) {
      return;
    }
    if (c.failures() > 0 && (double) c.failures() / c.calls() >= config.failureRateThreshold()) {
      tripOnWindow();
    } else if (config.slowCallDetection() && c.slow() > 0
        && (double) c.slow() / c.calls() >= config.slowCallRateThreshold()) {
      tripOnWindow();
    }
  }

  private void tripOnWindow() {
    if (state == CircuitState.METRICS_ONLY) {
      leaveClosed();
      wouldHaveOpened++;
      window = newWindow();
      return;
    }
    leaveClosed();
    moveTo(CircuitState.OPEN);
    open(1);
  }

  private void reopen() {
    moveTo(CircuitState.OPEN);
    open(trips + 1);
  }

  private void open(int tripsInARow) {
    trips = tripsInARow;
    openedAt = now;
    double grown = config.openTimeout().toNanos() * Math.pow(config.openTimeoutMultiplier(), trips - 1);
    openNanos = (long) Math.min(grown, (double) config.maxOpenTimeout().toNanos());
  }

  /** Freezes the window of a CLOSED state that is being left. */
  private void leaveClosed() {
    if (recordsInWindow(state)) {
      window.frozen = window.counts(second(now));
    }
  }

  private void expireIfDue() {
    if (state == CircuitState.OPEN && now - openedAt >= openNanos) {
      moveTo(CircuitState.HALF_OPEN);
      startEpisode();
    } else if (state == CircuitState.FORCED_OPEN && forcedUntil != Long.MAX_VALUE && now >= forcedUntil) {
      moveTo(CircuitState.CLOSED);
      window = newWindow();
    }
  }

  private void startEpisode() {
    episode = new Object();
    probeSuccesses = 0;
  }

  private void moveTo(CircuitState to) {
    transitions.add(new Transition(state, to, ++sequence));
    state = to;
    if (to == CircuitState.FORCED_OPEN) {
      forcedUntil = Long.MAX_VALUE;
    }
  }

  private Window newWindow() {
    return new Window(config.slidingWindowType(), config.slidingWindowSize());
  }

  private static long second(long nanos) {
    return Math.floorDiv(nanos, SECOND);
  }

  // ------------------------------------------------------------------ operator

  public synchronized void reset() {
    if (state != CircuitState.CLOSED) {
      leaveClosed();
      moveTo(CircuitState.CLOSED);
    }
    window = newWindow();
  }

  /** FORCED_OPEN until reset; on a breaker tripped for a while, only the end goes (open for good). */
  public synchronized void trip() {
    forceTo(CircuitState.FORCED_OPEN);
    forcedUntil = Long.MAX_VALUE;
  }

  public synchronized void disable() {
    forceTo(CircuitState.DISABLED);
  }

  /** FORCED_OPEN for {@code nanos}, then CLOSED; on a FORCED_OPEN breaker only the end moves. */
  public synchronized void tripFor(long nanos) {
    forceTo(CircuitState.FORCED_OPEN);
    forcedUntil = now + nanos;
  }

  /** Trips METRICS_ONLY prevented so far. */
  public synchronized long wouldHaveOpened() {
    return wouldHaveOpened;
  }

  public synchronized void transitionTo(CircuitState target) {
    switch (target) {
      case CLOSED -> reset();
      case OPEN -> {
        if (state != CircuitState.OPEN) {
          Window kept = recordsInWindow(state) || state == CircuitState.HALF_OPEN ? window : null;
          leaveClosed();
          moveTo(CircuitState.OPEN);
          window = kept;
          open(1);
        }
      }
      case HALF_OPEN -> {
        if (state != CircuitState.HALF_OPEN) {
          Window kept = recordsInWindow(state) || state == CircuitState.OPEN ? window : null;
          leaveClosed();
          moveTo(CircuitState.HALF_OPEN);
          window = kept;
          trips = 1;
          startEpisode();
        }
      }
      case METRICS_ONLY -> {
        if (state != CircuitState.METRICS_ONLY) {
          leaveClosed();
          moveTo(CircuitState.METRICS_ONLY);
          window = newWindow();
        }
      }
      case FORCED_OPEN -> trip();
      default -> forceTo(target);
    }
  }

  private void forceTo(CircuitState target) {
    if (state != target) {
      leaveClosed();
      moveTo(target);
      window = null;
    }
  }

  public synchronized void reconfigure(CircuitBreakerConfig newConfig) {
    boolean sameWindow = newConfig.slidingWindowType() == config.slidingWindowType()
        && newConfig.slidingWindowSize() == config.slidingWindowSize();
    config = newConfig;
    if (recordsInWindow(state) && !sameWindow) {
      window.frozen = window.counts(second(now));
      window = newWindow();
    }
  }

  // ------------------------------------------------------------------ reading

  /** The state, after moving an OPEN breaker whose open time is over to HALF_OPEN. */
  public synchronized CircuitState state() {
    expireIfDue();
    return state;
  }

  /** The state, as it is: an OPEN breaker whose open time is over stays OPEN until asked. */
  public synchronized CircuitState peekState() {
    return state;
  }

  /** The type of the window whose counts {@link #status()} shows, or null when none is. */
  public synchronized SlidingWindowType shownWindowType() {
    return window == null ? null : window.type;
  }

  /** Time until probes are let through; does not move the breaker. */
  public synchronized long remainingOpenNanos() {
    if (state == CircuitState.FORCED_OPEN && forcedUntil != Long.MAX_VALUE) {
      return Math.max(0, forcedUntil - now);
    }
    return state == CircuitState.OPEN ? Math.max(0, openNanos - (now - openedAt)) : 0;
  }

  public synchronized Status status() {
    expireIfDue();
    Counts c = window == null ? new Counts(0, 0, 0) : window.counts(second(now));
    int consecutive = recordsInWindow(state) ? window.consecutiveFailures : 0;
    return new Status(state, successful + failed + rejected + ignored, successful, failed, slow,
        rejected, ignored, c.calls(), c.failures(), c.slow(), consecutive, remainingOpenNanos());
  }

  /** Whether an outcome of {@code p} reported now would be an outcome of the state that permitted it. */
  public synchronized boolean isCurrent(Permit p) {
    return switch (p.grantedIn) {
      case CLOSED, METRICS_ONLY -> state == p.grantedIn && p.window == window;
      case HALF_OPEN -> state == CircuitState.HALF_OPEN && p.episode == episode;
      default -> state == p.grantedIn;
    };
  }

  /** Probes holding a permit now (reclaimable ones included). */
  public synchronized int probesInFlight() {
    return probesInFlight.size();
  }

  /**
   * Everything that decides what the breaker does next, as text: two breakers with equal keys
   * answer every later request alike. Beyond {@link #status()} that is the order of the outcomes
   * in the window (which one leaves it next), the open time and the probes in flight. A search
   * over orders of calls may treat histories with equal keys (and equal permits held, see {@link
   * #permitKey}) as one; keyed on the status alone it would merge windows that differ in order.
   */
  public synchronized String stateKey() {
    StringBuilder sb = new StringBuilder().append(state).append(" now=").append(now)
        .append(" config=").append(System.identityHashCode(config))
        .append(" counts=").append(successful).append('/').append(failed).append('/').append(slow)
        .append('/').append(rejected).append('/').append(ignored)
        .append(" open=").append(openedAt).append('+').append(openNanos).append(" trips=").append(trips)
        .append(" probes=").append(probeSuccesses).append(" seq=").append(sequence).append(transitions)
        .append(" inFlight=");
    for (Permit p : probesInFlight) {
      sb.append(p.acquiredAt).append(p.episode == episode ? "c" : "e").append(',');
    }
    if (window == null) {
      sb.append(" no window");
    } else {
      sb.append(" window=").append(window.type).append(window.size).append(" streak=")
          .append(window.consecutiveFailures).append(" frozen=").append(window.frozen).append(' ');
      for (Outcome o : window.outcomes) {
        sb.append(o.second()).append(o.failed() ? 'F' : 'S').append(o.slow() ? "s" : "").append(',');
      }
    }
    return sb.toString();
  }

  /**
   * What an outcome reported for {@code p} would still change, as text for {@link #stateKey}:
   * where it was granted, whether it is of the current window or episode, and whether it was
   * reported or taken over already.
   */
  public synchronized String permitKey(Permit p) {
    return p.grantedIn + (isCurrent(p) ? "+" : "-") + (p.reported ? "r" : "") + (p.reclaimed ? "x" : "")
        + "@" + p.acquiredAt;
  }

  @Override
  public synchronized String toString() {
    Iterator<Transition> it = transitions.iterator();
    StringBuilder sb = new StringBuilder("Reference{").append(state);
    while (it.hasNext()) {
      sb.append(' ').append(it.next());
    }
    return sb.append('}').toString();
  }
}
