package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CallEvent;
import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CallObserver;
import io.riskmodules.breaker.CallOutcome;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerEvent;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.Permit;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.Subscription;
import io.riskmodules.breaker.Ticker;
import io.riskmodules.breaker.ThresholdExceeded;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker. Internal: create breakers with {@link CircuitBreaker#of} or a registry.
 *
 * <p>The call path reads the state object and a hooks flag, asks the state for a permit (no write
 * when CLOSED), runs the call with no lock held, reads the ticker only if a configured feature
 * needs durations, and records a fast success with two striped increments: the breaker's total
 * (which also picks the observers' sample) and the window's own count of its successes, so that
 * no success of another state or an earlier window can ever take a place in it.
 */
public final class DefaultCircuitBreaker implements CircuitBreaker {

  private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

  private static final VarHandle STATE;
  private static final VarHandle OBSERVERS;
  private static final VarHandle PROBE_PERMITS;
  private static final VarHandle DEADLINES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(DefaultCircuitBreaker.class, "state", BreakerState.class);
      OBSERVERS = lookup.findVarHandle(DefaultCircuitBreaker.class, "observers", CallObserver[].class);
      PROBE_PERMITS = lookup.findVarHandle(DefaultCircuitBreaker.class, "probePermits", ProbePermits.class);
      DEADLINES = lookup.findVarHandle(DefaultCircuitBreaker.class, "deadlines", CallDeadlines.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final CallObserver[] NO_OBSERVERS = new CallObserver[0];
  private static final int HOOK_OBSERVERS = 1;
  private static final int HOOK_CALL_LISTENERS = 2;
  /**
   * The duration of a call that was not timed: no feature needed it when the call started (an
   * observer attached while it ran must not record it as taking no time).
   */
  private static final long UNTIMED = -1L;
  private static final int HISTORY = 10;

  private static final int SUPPLIER = 0;
  private static final int CALLABLE = 1;
  private static final int RUNNABLE = 2;

  private final String name;
  private final Map<String, String> tags;
  final Ticker ticker;
  /** The ticker itself when injected; a coarse one over the system ticker otherwise. */
  final Ticker coarseTicker;
  private final Clock clock;
  private final EventDispatcher events;
  /** Also picks the sample of successes that observers see; they see every other outcome. */
  private final SampledCounter successes = new SampledCounter();
  private final LongAdder rejections = new LongAdder();
  private volatile BreakerState state;
  /** Whether observers or call listeners are attached: one read tells the call path to skip both. */
  private volatile int hooks;
  private volatile CallObserver[] observers = NO_OBSERVERS;
  // Striped, not fields of this object: a count written by one thread's failures would share a
  // cache line with the state that every other thread's calls read.
  private final StripedCounter failed = new StripedCounter();
  private final StripedCounter ignored = new StripedCounter();
  private final StripedCounter slow = new StripedCounter();
  /** Whether a failing predicate or observer was logged at WARN; two threads may both log it. */
  private volatile boolean callbackFailureLogged;
  /** Probe permits, shared by every HALF_OPEN episode; made at the first (most breakers never need them). */
  private volatile ProbePermits probePermits;
  /** The injected scheduler, or null for the shared one (looked up only when timed work is asked for). */
  private final ScheduledExecutorService scheduler;
  /** Deadlines of calls under a call timeout; made at the first such call. */
  private volatile CallDeadlines deadlines;

  public DefaultCircuitBreaker(
      String name, CircuitBreakerConfig config, Ticker ticker, Clock clock, Executor eventExecutor) {
    this(name, config, ticker, clock, eventExecutor, null);
  }

  /**
   * @param scheduler where timed work runs (call deadlines, automatic transitions); null: the
   *     library's shared one, whose thread runs only while such work is pending
   */
  public DefaultCircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker, Clock clock,
      Executor eventExecutor, ScheduledExecutorService scheduler) {
    this(name, config, ticker, clock, eventExecutor, scheduler, Map.of());
  }

  /** @param tags the breaker's tags, checked and immutable (see {@link CircuitBreaker#tags()}) */
  public DefaultCircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker, Clock clock,
      Executor eventExecutor, ScheduledExecutorService scheduler, Map<String, String> tags) {
    this.tags = Objects.requireNonNull(tags, "tags");
    this.scheduler = scheduler;
    this.name = Objects.requireNonNull(name, "name");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.coarseTicker = ticker == Ticker.system() ? CoarseTicker.system() : ticker;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = new EventDispatcher(name, Objects.requireNonNull(eventExecutor, "eventExecutor"));
    Objects.requireNonNull(config, "config");
    this.state = new ClosedState(this, config, 0, List.of(), Window.create(config, ticker.read()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, String> tags() {
    return tags;
  }

  @Override
  public CircuitBreakerConfig config() {
    return state.config;
  }

  @Override
  public CircuitState state() {
    return current(ticker.read()).kind;
  }

  /** Test hook: the window of the state now (a CLOSED state's, or the one a tripped state keeps). */
  Window windowForTest() {
    return state.window();
  }

  private BreakerState current(long nowNanos) {
    BreakerState s = state;
    if (s instanceof OpenState open && open.expireIfDue(nowNanos)) {
      s = state;
    } else if (s instanceof ForcedOpenState forced && forced.expireIfDue(nowNanos)) {
      s = state;
    }
    return s;
  }

  @Override
  public Duration remainingOpenTime() {
    return Duration.ofNanos(state.remainingOpenNanos(ticker.read()));
  }

  @Override
  public CircuitBreakerStatus status() {
    long now = ticker.read();
    BreakerState s;
    Window.Counts counts;
    do {
      // a window trips under its lock, which counts() takes: if the state is unchanged after the
      // counts were read, the two belong together (no CLOSED state with the counts it tripped on)
      s = current(now);
      Window window = s.window();
      counts = window == null ? Window.Counts.EMPTY : window.counts(now);
    } while (state != s);
    long succeeded = successes.sum();
    long failedCalls = failed.sum();
    long rejected = rejections.sum();
    long ignoredCalls = ignored.sum();
    long remainingNanos = s.remainingOpenNanos(now);
    return new CircuitBreakerStatus(
        name,
        s.kind,
        succeeded + failedCalls + rejected + ignoredCalls,
        succeeded,
        failedCalls,
        slow.sum(),
        rejected,
        ignoredCalls,
        counts.failureRate(),
        counts.slowRate(),
        counts.calls(),
        s.consecutiveFailures(),
        (remainingNanos + 999_999) / 1_000_000,
        s.history,
        CircuitBreakerStatus.Settings.of(s.config));
  }

  // ---------------------------------------------------------------- synchronous forms

  @Override
  public <T> T execute(Supplier<? extends T> supplier) {
    return invoke(supplier, SUPPLIER, null);
  }

  @Override
  public <T> T execute(Supplier<? extends T> supplier, Function<? super Throwable, ? extends T> fallback) {
    return invoke(supplier, SUPPLIER, Objects.requireNonNull(fallback, "fallback"));
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    return invoke(callable, CALLABLE, null);
  }

  @Override
  public <T> T call(Callable<? extends T> callable, Function<? super Throwable, ? extends T> fallback)
      throws Exception {
    return invoke(callable, CALLABLE, Objects.requireNonNull(fallback, "fallback"));
  }

  @Override
  public void run(Runnable runnable) {
    invoke(runnable, RUNNABLE, null);
  }

  @Override
  public void run(Runnable runnable, Consumer<? super Throwable> fallback) {
    Objects.requireNonNull(fallback, "fallback");
    invoke(runnable, RUNNABLE, cause -> {
      fallback.accept(cause);
      return null;
    });
  }

  /**
   * The one synchronous call path. {@code form} says what {@code task} is, so that no adapter is
   * allocated per call; checked exceptions of a Callable propagate unwrapped.
   */
  private <T> T invoke(Object task, int form, Function<? super Throwable, ? extends T> fallback) {
    BreakerState s;
    long token;
    do {
      s = state;
      token = s.tryAcquire();
    } while (token == BreakerState.RETRY);
    if (token < 0) {
      CallNotPermittedException rejection = rejected(s, token);
      if (fallback == null) {
        throw rejection;
      }
      return fallback.apply(rejection);
    }
    if (s.callTimeoutNanos != 0) {
      return invokeTimed(s, token, task, form, fallback);
    }
    Ticker timer = timerFor(s);
    long start = timer != null ? timer.read() : 0L;
    T result;
    try {
      result = runTask(task, form);
    } catch (Throwable e) {
      if (onThrown(s, token, timer, start, e) && fallback != null && e instanceof Exception) {
        return fallback.apply(e);
      }
      throw DefaultCircuitBreaker.<RuntimeException>sneaky(e);
    }
    onReturned(s, token, timer, start, result);
    return result;
  }

  /**
   * {@link #invoke} under a call timeout: the call's end and its deadline race, and the loser is
   * ignored. A call that loses still returns to its caller with its own outcome (a late exception
   * goes to the fallback, since the call counted as a failure at its deadline).
   */
  private <T> T invokeTimed(BreakerState s, long token, Object task, int form,
      Function<? super Throwable, ? extends T> fallback) {
    Ticker timer = s.callTicker;
    long start = timer.read();
    SyncCall call = new SyncCall(this, s, token, start,
        s.config.interruptOnCallTimeout() ? Thread.currentThread() : null);
    deadlines().add(call);
    T result;
    try {
      result = runTask(task, form);
    } catch (Throwable e) {
      boolean failure;
      if (call.finish()) {
        failure = onThrown(s, token, timer, start, e);
      } else {
        call.clearInterrupt();
        failure = true;
      }
      if (failure && fallback != null && e instanceof Exception) {
        return fallback.apply(e);
      }
      throw DefaultCircuitBreaker.<RuntimeException>sneaky(e);
    }
    if (call.finish()) {
      onReturned(s, token, timer, start, result);
    } else {
      call.clearInterrupt();
    }
    return result;
  }

  /** A synchronous call under a call timeout. */
  private static final class SyncCall extends TimedCall {
    private final DefaultCircuitBreaker breaker;
    private final Thread interruptee;

    SyncCall(DefaultCircuitBreaker breaker, BreakerState permitted, long token, long start, Thread interruptee) {
      super(permitted, token, start, start + permitted.callTimeoutNanos);
      this.breaker = breaker;
      this.interruptee = interruptee;
    }

    @Override
    Thread interruptee() {
      return interruptee;
    }

    @Override
    void onDeadline(long nowNanos) {
      breaker.recordTimedOut(this, nowNanos, breaker.timeoutOf(this));
    }
  }

  /** An {@code executeAsync} call under a call timeout. */
  private static final class AsyncCall<T> extends TimedCall {
    private final DefaultCircuitBreaker breaker;
    private final CompletableFuture<T> result;
    private final Function<? super Throwable, ? extends T> fallback;
    /** Set once the supplier has returned it. */
    volatile CompletionStage<T> stage;

    AsyncCall(DefaultCircuitBreaker breaker, BreakerState permitted, long token, long start,
        CompletableFuture<T> result, Function<? super Throwable, ? extends T> fallback) {
      super(permitted, token, start, start + permitted.callTimeoutNanos);
      this.breaker = breaker;
      this.result = result;
      this.fallback = fallback;
    }

    @Override
    void onDeadline(long nowNanos) {
      TimeoutException timeout = breaker.timeoutOf(this);
      try {
        breaker.recordTimedOut(this, nowNanos, timeout);
      } finally {
        // an observer's Error thrown while the timeout is recorded must not leave the caller waiting
        complete(result, timeout, fallback);
        CompletionStage<T> s = stage;
        if (s != null && permitted.config.cancelOnCallTimeout()) {
          cancel(s);
        }
      }
    }

    /** The supplier returned after the deadline: cancel now what could not be cancelled then. */
    void stageArrivedLate() {
      if (permitted.config.cancelOnCallTimeout()) {
        cancel(stage);
      }
    }

    private static void cancel(CompletionStage<?> s) {
      try {
        s.toCompletableFuture().cancel(true);
      } catch (UnsupportedOperationException e) {
        // a stage that cannot be turned into a future cannot be cancelled: it runs on, ignored
      }
    }
  }

  /** The exception that stands for {@code call} timing out. */
  TimeoutException timeoutOf(TimedCall call) {
    return new TimeoutException("circuit breaker '" + name + "': call still running after "
        + call.permitted.callTimeoutNanos / 1_000_000 + " ms (call_timeout_ms)");
  }

  /**
   * Records {@code call}, still running at its deadline {@code nowNanos}, as failed with {@code
   * timeout}: a failure, slow unless slow-call detection is off.
   */
  void recordTimedOut(TimedCall call, long nowNanos, TimeoutException timeout) {
    BreakerState s = judging(call.permitted);
    failed(s, call.token, nowNanos, Math.max(0L, nowNanos - call.start), timeout, state.config.slowCallDetection());
  }

  /** The deadlines of this breaker's timed calls. */
  private CallDeadlines deadlines() {
    CallDeadlines d = deadlines;
    if (d == null) {
      DEADLINES.compareAndSet(this, null, new CallDeadlines(this));
      d = deadlines;
    }
    return d;
  }

  void timerFailed(Throwable e) {
    callbackFailed("circuit breaker '{}': call timeout work failed", name, e);
  }

  /**
   * What times a call permitted by {@code s}: the state's call ticker when its config times calls
   * (observers and listeners then get the same duration, so attaching one adds no clock read);
   * the precise ticker when only an observer or listener wants durations; else nothing.
   */
  private Ticker timerFor(BreakerState s) {
    if (s.timed) {
      return s.callTicker;
    }
    return hooks != 0 ? ticker : null;
  }

  @SuppressWarnings("unchecked")
  private static <T> T runTask(Object task, int form) throws Exception {
    switch (form) {
      case SUPPLIER:
        return ((Supplier<T>) task).get();
      case CALLABLE:
        return ((Callable<T>) task).call();
      default:
        ((Runnable) task).run();
        return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }

  // ---------------------------------------------------------------- asynchronous form

  @Override
  public <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> supplier) {
    return invokeAsync(supplier, null);
  }

  @Override
  public <T> CompletionStage<T> executeAsync(
      Supplier<? extends CompletionStage<T>> supplier, Function<? super Throwable, ? extends T> fallback) {
    return invokeAsync(supplier, Objects.requireNonNull(fallback, "fallback"));
  }

  private <T> CompletionStage<T> invokeAsync(
      Supplier<? extends CompletionStage<T>> supplier, Function<? super Throwable, ? extends T> fallback) {
    BreakerState s;
    long token;
    do {
      s = state;
      token = s.tryAcquire();
    } while (token == BreakerState.RETRY);
    if (token < 0) {
      return fail(rejected(s, token), fallback);
    }
    if (s.callTimeoutNanos != 0) {
      return invokeAsyncTimed(s, token, supplier, fallback);
    }
    Ticker timer = timerFor(s);
    long start = timer != null ? timer.read() : 0L;
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      // the stage fails with the cause, as when the supplier's stage fails with the same wrapper
      Throwable cause = unwrap(e);
      boolean failure = onThrown(s, token, timer, start, e);
      return failure ? fail(cause, fallback) : CompletableFuture.failedFuture(cause);
    }
    if (stage == null) {
      // a bug in the caller, not a failure of the downstream: it must not trip the breaker
      NullPointerException bug = new NullPointerException("executeAsync: the supplier returned null");
      ignoredCall(s, token, UNTIMED, bug);
      return CompletableFuture.failedFuture(bug);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    BreakerState permitted = s;
    long permit = token;
    stage.whenComplete((value, error) -> {
      try {
        settle(result, permitted, permit, timer, start, value, error, fallback);
      } catch (Throwable bug) {
        // whenComplete would swallow it, and the caller would wait for ever
        result.completeExceptionally(bug);
      }
    });
    return result;
  }

  /**
   * {@link #invokeAsync} under a call timeout: the deadline completes the returned stage with a
   * {@link TimeoutException} (or the fallback's value) and the call's later outcome is ignored.
   * The deadline is watched from before the supplier runs, so a supplier that blocks is timed
   * out too.
   */
  private <T> CompletionStage<T> invokeAsyncTimed(BreakerState s, long token,
      Supplier<? extends CompletionStage<T>> supplier, Function<? super Throwable, ? extends T> fallback) {
    Ticker timer = s.callTicker;
    long start = timer.read();
    CompletableFuture<T> result = new CompletableFuture<>();
    AsyncCall<T> call = new AsyncCall<>(this, s, token, start, result, fallback);
    deadlines().add(call);
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      if (call.finish()) {
        Throwable cause = unwrap(e);
        if (onThrown(s, token, timer, start, e)) {
          complete(result, cause, fallback);
        } else {
          result.completeExceptionally(cause);
        }
      }
      return result;
    }
    if (stage == null) {
      NullPointerException bug = new NullPointerException("executeAsync: the supplier returned null");
      if (call.finish()) {
        ignoredCall(s, token, UNTIMED, bug);
        result.completeExceptionally(bug);
      }
      return result;
    }
    call.stage = stage;
    stage.whenComplete((value, error) -> {
      if (!call.finish()) {
        return; // the deadline came first: counted then, and this outcome is ignored
      }
      try {
        settle(result, s, token, timer, start, value, error, fallback);
      } catch (Throwable bug) {
        result.completeExceptionally(bug);
      }
    });
    if (call.timedOut()) {
      call.stageArrivedLate(); // the deadline may have passed before the stage was there to cancel
    }
    return result;
  }

  private <T> void settle(CompletableFuture<T> result, BreakerState permitted, long permit, Ticker timer,
      long start, T value, Throwable error, Function<? super Throwable, ? extends T> fallback) {
    if (error == null) {
      onReturned(permitted, permit, timer, start, value);
      result.complete(value);
      return;
    }
    Throwable cause = unwrap(error);
    if (cause instanceof CancellationException) {
      ignoredCall(permitted, permit, timer != null ? timer.read() - start : UNTIMED, cause);
      result.completeExceptionally(cause);
    } else if (onThrown(permitted, permit, timer, start, cause)) {
      complete(result, cause, fallback);
    } else {
      result.completeExceptionally(cause);
    }
  }

  private static <T> CompletableFuture<T> fail(Throwable cause, Function<? super Throwable, ? extends T> fallback) {
    CompletableFuture<T> result = new CompletableFuture<>();
    complete(result, cause, fallback);
    return result;
  }

  private static <T> void complete(
      CompletableFuture<T> result, Throwable cause, Function<? super Throwable, ? extends T> fallback) {
    if (fallback == null || !(cause instanceof Exception)) {
      result.completeExceptionally(cause);
      return;
    }
    try {
      result.complete(fallback.apply(cause));
    } catch (Throwable e) {
      result.completeExceptionally(e);
    }
  }

  /**
   * The exception a wrapper stands for: a {@link CompletionException} or {@link
   * ExecutionException} with a cause is judged by that cause, through any number of such wrappers.
   */
  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  // ---------------------------------------------------------------- decorators and two-step form

  @Override
  public <T> Supplier<T> decorate(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> invoke(supplier, SUPPLIER, null);
  }

  @Override
  public <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable");
    return () -> invoke(callable, CALLABLE, null);
  }

  @Override
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function");
    return argument -> execute(() -> function.apply(argument));
  }

  @Override
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    return () -> invoke(runnable, RUNNABLE, null);
  }

  @Override
  public Permit acquirePermit() {
    BreakerState s;
    long token;
    do {
      s = state;
      token = s.tryAcquire();
    } while (token == BreakerState.RETRY);
    if (token < 0) {
      throw rejected(s, token);
    }
    return new TwoStepPermit(s, token);
  }

  @Override
  public Optional<Permit> tryAcquirePermit() {
    try {
      return Optional.of(acquirePermit());
    } catch (CallNotPermittedException e) {
      return Optional.empty();
    }
  }

  /** A permit of the two-step form; the first report wins, later ones are ignored. */
  final class TwoStepPermit implements Permit {
    private static final VarHandle DONE;

    static {
      try {
        DONE = MethodHandles.lookup().findVarHandle(TwoStepPermit.class, "done", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final BreakerState permitted;
    private final long token;
    private volatile boolean done;

    TwoStepPermit(BreakerState permitted, long token) {
      this.permitted = permitted;
      this.token = token;
    }

    /** The state that granted the permit: HALF_OPEN means the call is a probe. */
    CircuitState grantedIn() {
      return permitted.kind;
    }

    private boolean first() {
      return DONE.compareAndSet(this, false, true);
    }

    @Override
    public void onSuccess(long durationNanos) {
      if (first()) {
        succeeded(judging(permitted), token, endTime(), measured(durationNanos));
      }
    }

    @Override
    public void onResult(long durationNanos, Object result) {
      if (first()) {
        long end = endTime();
        long duration = measured(durationNanos);
        BreakerState s = judging(permitted);
        if (isFailureResult(s, token, end, duration, result)) {
          failed(s, token, end, duration, null);
        } else {
          succeeded(s, token, end, duration);
        }
      }
    }

    @Override
    public void onError(long durationNanos, Throwable error) {
      if (first()) {
        classify(judging(permitted), token, endTime(), measured(durationNanos), error);
      }
    }

    @Override
    public void onFailure(long durationNanos) {
      if (first()) {
        failed(judging(permitted), token, endTime(), measured(durationNanos), null);
      }
    }

    @Override
    public void release() {
      if (first()) {
        ignoredCall(permitted, token, UNTIMED, null);
      }
    }

    /** A duration the caller measured: a negative one (a clock that stepped back) counts as 0. */
    private long measured(long durationNanos) {
      return Math.max(0L, durationNanos);
    }

    private long endTime() {
      return permitted.timed ? ticker.read() : 0L;
    }
  }

  // ---------------------------------------------------------------- recording

  /**
   * The state an outcome of a call {@code permitted} allowed is recorded in: the current state if
   * it is {@code permitted} only reconfigured (same transition, same window); else {@code
   * permitted} itself, whose window is retired and whose probes are its own. Whether the outcome
   * is a failure, ignored or slow is always judged by the current config: a reconfigure applies
   * to calls already running.
   */
  private BreakerState judging(BreakerState permitted) {
    BreakerState now = state;
    return now == permitted || now.sequence != permitted.sequence || now.window() != permitted.window()
        ? permitted : now;
  }

  private <T> void onReturned(BreakerState permitted, long token, Ticker timer, long start, T result) {
    BreakerState s = judging(permitted);
    long end = timer != null ? timer.read() : 0L;
    long duration = timer != null ? end - start : UNTIMED;
    if (state.config.hasResultPredicate() && isFailureResult(s, token, end, duration, result)) {
      failed(s, token, end, duration, null);
    } else {
      succeeded(s, token, end, duration);
    }
  }

  /**
   * Runs the user's result predicate. One that throws must not leave the permit taken (a probe's
   * would block HALF_OPEN until the probe timeout): the call counts as a failure and the caller
   * gets the predicate's exception.
   */
  private boolean isFailureResult(BreakerState s, long token, long end, long duration, Object result) {
    try {
      return state.config.isFailureResult(result); // the config now: a reconfigure applies to calls running
    } catch (Throwable predicateFailure) {
      callbackFailed("circuit breaker '{}': the record-result predicate threw; the call counts as a failure",
          name, predicateFailure);
      failed(s, token, end, duration, predicateFailure);
      throw DefaultCircuitBreaker.<RuntimeException>sneaky(predicateFailure);
    }
  }

  /**
   * A predicate or observer of the user's failed on a call: at WARN the first time for this
   * breaker, at DEBUG after, so that one failing on every call does not log on every call.
   */
  private void callbackFailed(String message, Object... arguments) {
    if (!callbackFailureLogged) {
      callbackFailureLogged = true;
      log.warn(message + " (logged once; later ones at DEBUG)", arguments);
    } else {
      log.debug(message, arguments);
    }
  }

  private static boolean carriesOneLike(Throwable error, Throwable suppressed) {
    for (Throwable s : error.getSuppressed()) {
      if (s.getClass() == suppressed.getClass()) {
        return true;
      }
    }
    return false;
  }

  /** Records a thrown exception; returns whether it counted as a failure. */
  private boolean onThrown(BreakerState permitted, long token, Ticker timer, long start, Throwable error) {
    BreakerState s = judging(permitted);
    long end = timer != null ? timer.read() : 0L;
    return classify(s, token, end, timer != null ? end - start : UNTIMED, error);
  }

  /**
   * Records a thrown exception as ignored, failed or succeeded by the config's types and
   * predicates, applied to the exception's {@link #unwrap cause} when it is only a wrapper: the
   * same rule on every path (a call that throws, an async supplier that throws, a stage that
   * fails, {@link io.riskmodules.breaker.Permit#onError}). A predicate that throws makes the call a failure, with the predicate's exception
   * added to the call's as suppressed: the caller still gets the exception the call threw, and the
   * permit is never left taken.
   */
  private boolean classify(BreakerState s, long token, long end, long duration, Throwable error) {
    CircuitBreakerConfig config = state.config; // the config now: a reconfigure applies to calls running
    Throwable judged = unwrap(error);
    boolean ignored;
    boolean recorded;
    try {
      ignored = config.isIgnored(judged);
      recorded = !ignored && config.isRecorded(judged);
    } catch (Throwable predicateFailure) {
      callbackFailed("circuit breaker '{}': an exception predicate threw on {}; the call counts as a failure",
          name, error.getClass().getName(), predicateFailure);
      if (predicateFailure != error && !carriesOneLike(error, predicateFailure)) {
        error.addSuppressed(predicateFailure); // once: an exception thrown again and again must not grow
      }
      failed(s, token, end, duration, error);
      return true;
    }
    if (ignored) {
      ignoredCall(s, token, duration, error);
      return false;
    }
    if (recorded) {
      failed(s, token, end, duration, error);
      return true;
    }
    succeeded(s, token, end, duration);
    return false;
  }

  private void succeeded(BreakerState s, long token, long end, long duration) {
    int hooksNow = hooks;
    int weight = successes.incrementAndSample(samplingTicker(s, hooksNow));
    boolean slowCall = state.isSlow(duration); // by the config now, as every judgement of an outcome
    if (slowCall) {
      slow.increment();
    }
    s.onSuccess(token, end, slowCall);
    if ((hooksNow & HOOK_CALL_LISTENERS) != 0 || weight != SampledCounter.SKIP) {
      notifyHooks(hooksNow, CallOutcome.SUCCESS, duration, weight, slowCall, null);
    }
  }

  /**
   * What times the success sample's periods: the clock the calls are timed with anyway, or the
   * precise one for an observer; none for an untimed breaker nobody observes, so that its calls
   * never read a clock (the sample then keeps its spacing, and measures the rate afresh once
   * observed).
   */
  private Ticker samplingTicker(BreakerState s, int hooksNow) {
    if (s.timed) {
      return s.callTicker;
    }
    return (hooksNow & HOOK_OBSERVERS) != 0 ? ticker : null;
  }

  private void failed(BreakerState s, long token, long end, long duration, Throwable error) {
    failed(s, token, end, duration, error, state.isSlow(duration));
  }

  private void failed(BreakerState s, long token, long end, long duration, Throwable error, boolean slowCall) {
    failed.increment();
    int hooksNow = hooks;
    if (slowCall) {
      slow.increment();
    }
    s.onFailure(token, end, slowCall);
    if (hooksNow != 0) {
      notifyHooks(hooksNow, CallOutcome.FAILURE, duration, observedAlone(hooksNow), slowCall, error);
    }
  }

  private void ignoredCall(BreakerState s, long token, long duration, Throwable error) {
    ignored.increment();
    int hooksNow = hooks;
    s.onRelease(token);
    if (hooksNow != 0) {
      notifyHooks(hooksNow, CallOutcome.IGNORED, duration, observedAlone(hooksNow), false, error);
    }
  }

  /** Failed and ignored calls are rarer, and each is shown to the observers on its own. */
  private static int observedAlone(int hooksNow) {
    return (hooksNow & HOOK_OBSERVERS) != 0 ? 1 : SampledCounter.SKIP;
  }

  private CallNotPermittedException rejected(BreakerState s, long token) {
    rejections.increment();
    CallNotPermittedException rejection =
        new CallNotPermittedException(name, s.kind, -token - 1, s.config.writableStackTrace());
    if ((hooks & HOOK_CALL_LISTENERS) != 0) {
      publishCall(CallOutcome.REJECTED, 0L, false, rejection);
    }
    return rejection;
  }

  /**
   * Hands a finished call to the observers (when sampled) and to the call listeners. The
   * listeners' part is out of line: it allocates, and one method holding both compiled too big
   * for the JIT to inline into the call path.
   */
  private void notifyHooks(
      int hooksNow, CallOutcome outcome, long duration, int weight, boolean slowCall, Throwable error) {
    if (weight != SampledCounter.SKIP && (hooksNow & HOOK_OBSERVERS) != 0 && duration != UNTIMED) {
      showObservers(outcome, duration, weight);
    }
    if ((hooksNow & HOOK_CALL_LISTENERS) != 0) {
      publishCall(outcome, duration == UNTIMED ? 0L : duration, slowCall, error);
    }
  }

  private void showObservers(CallOutcome outcome, long duration, int weight) {
    for (CallObserver observer : observers) {
      try {
        observer.onCall(outcome, duration, weight);
      } catch (RuntimeException e) {
        callbackFailed("circuit breaker '{}': a call observer failed", name, e);
      }
    }
  }

  private void publishCall(CallOutcome outcome, long duration, boolean slowCall, Throwable error) {
    events.publish(new CallEvent(name, outcome, duration, slowCall, error, clock.millis(), tags));
  }

  // ---------------------------------------------------------------- transitions

  /** Makes the state after {@code from}, given the transition's sequence number and history. */
  @FunctionalInterface
  interface StateFactory {
    BreakerState create(BreakerState from, long sequence, List<StateTransition> history);
  }

  /**
   * Replaces {@code from} by the state {@code factory} makes, if {@code from} is still current (or
   * was only reconfigured since), and publishes the transition. Exactly one caller wins.
   */
  boolean transition(BreakerState from, CircuitState to, String reason, StateFactory factory) {
    StateTransition t = commit(from, to, reason, factory);
    if (t == null) {
      return false;
    }
    events.publish(t);
    return true;
  }

  /**
   * The state change of {@link #transition} without the publication: a window that decides to
   * trip commits the change while it holds its lock (so that no outcome and no read comes between
   * the decision and OPEN), and publishes it after letting go (listeners may run inline).
   *
   * @return the transition to {@link #publish}, or null if another caller won
   */
  StateTransition commit(BreakerState from, CircuitState to, String reason, StateFactory factory) {
    BreakerState expected = from;
    for (;;) {
      StateTransition t =
          new StateTransition(name, expected.kind, to, clock.millis(), expected.sequence + 1, reason, tags);
      BreakerState next = factory.create(expected, t.sequence(), append(expected.history, t));
      if (STATE.compareAndSet(this, expected, next)) {
        retireWindowLeft(expected, next);
        afterEntering(next);
        return t;
      }
      BreakerState now = state;
      if (now.sequence != expected.sequence || now.window() != expected.window()) {
        // another transition won; or a reconfigure or reset gave the state a new window, and a
        // decision taken on the old one is void
        return null;
      }
      expected = now;
    }
  }

  /** Publishes an event that is not a transition (METRICS_ONLY's {@code WouldHaveOpened}). */
  void publishEvent(CircuitBreakerEvent event) {
    events.publish(event);
  }

  long clockMillis() {
    return clock.millis();
  }

  /**
   * Replaces a METRICS_ONLY state whose window would have tripped by one with an empty window: the
   * same state (same sequence, no transition). Nothing happens if the breaker has moved on, or a
   * reconfigure or reset gave it another window meanwhile.
   */
  void renewWindow(MetricsOnlyState from) {
    BreakerState expected = from;
    for (;;) {
      BreakerState next = new MetricsOnlyState(this, expected.config, expected.sequence, expected.history,
          Window.create(expected.config, ticker.read()));
      // no retireWindowLeft here: the window left behind froze when it decided to trip (before
      // tripUnderLock called this), and a retry replaces only a state with that same window
      if (STATE.compareAndSet(this, expected, next)) {
        return;
      }
      BreakerState now = state;
      if (now.sequence != expected.sequence || now.window() != expected.window()) {
        return;
      }
      expected = now;
    }
  }

  /** Delivers {@code event} just before {@code t}, which is committed and not yet published. */
  void precede(StateTransition t, CircuitBreakerEvent event) {
    events.precede(t.sequence(), event);
  }

  /** Publishes a transition {@link #commit committed} earlier. */
  void publish(StateTransition t) {
    events.publish(t);
  }

  private static List<StateTransition> append(List<StateTransition> history, StateTransition t) {
    List<StateTransition> longer = new ArrayList<>(Math.min(history.size() + 1, HISTORY));
    longer.addAll(history.size() < HISTORY ? history : history.subList(1, history.size()));
    longer.add(t);
    return List.copyOf(longer);
  }

  /**
   * Moves to {@code to} unless the breaker is already there: a request for the state the breaker
   * is in changes nothing and publishes nothing.
   */
  private static final String RESET = "reset";
  private static final String FORCED_OPEN = "forced open";
  private static final String DISABLED = "disabled";
  private static final String OPENED_BY_OPERATOR = "opened by operator";
  private static final String HALF_OPENED_BY_OPERATOR = "half-opened by operator";
  private static final String METRICS_ONLY = "metrics only";

  /** Whether a transition with this reason was an operator's request: logged at INFO, never WARN. */
  static boolean byOperator(String reason) {
    switch (reason) {
      case RESET:
      case FORCED_OPEN:
      case DISABLED:
      case OPENED_BY_OPERATOR:
      case HALF_OPENED_BY_OPERATOR:
      case METRICS_ONLY:
        return true;
      default:
        return false;
    }
  }

  private void force(CircuitState to, String reason, StateFactory factory) {
    for (;;) {
      BreakerState s = state;
      if (s.kind == to || transition(s, to, reason, factory)) {
        return;
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Closes the breaker with an empty window. From CLOSED it only empties the window: no
   * transition, so nothing is published.
   */
  @Override
  public void reset() {
    for (;;) {
      BreakerState s = state;
      if (s.kind == CircuitState.CLOSED) {
        BreakerState emptied = freshClosed(s, s.sequence, s.history);
        if (STATE.compareAndSet(this, s, emptied)) {
          retireWindowLeft(s, emptied);
          log.info("circuit breaker '{}' reset: its window emptied (it was CLOSED)", name);
          return;
        }
      } else if (transition(s, CircuitState.CLOSED, RESET, this::freshClosed)) {
        return;
      }
      Thread.onSpinWait();
    }
  }

  @Override
  public void trip() {
    for (;;) {
      BreakerState s = state;
      if (s instanceof ForcedOpenState forced && forced.timed()) {
        // tripped for a while: trip() makes it open for good (until reset), with no transition to
        // publish; the task scheduled for the old end sees an untimed state and does nothing
        BreakerState forever = new ForcedOpenState(this, s.config, s.sequence, s.history);
        if (STATE.compareAndSet(this, s, forever)) {
          log.info("circuit breaker '{}' {} (it was FORCED_OPEN for a while already)", name, FORCED_OPEN);
          return;
        }
      } else if (s.kind == CircuitState.FORCED_OPEN || transition(s, CircuitState.FORCED_OPEN, FORCED_OPEN,
          (from, seq, history) -> new ForcedOpenState(this, from.config, seq, history))) {
        return;
      }
      Thread.onSpinWait();
    }
  }

  // ---------------------------------------------------------------- forced open for a while

  @Override
  public void tripFor(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("tripFor: duration must be positive, was " + duration);
    }
    forceFor(saturatedNanos(duration), "forced open for " + duration.toMillis() + " ms");
  }

  @Override
  public void tripUntil(Instant until) {
    Objects.requireNonNull(until, "until");
    Duration left = Duration.between(clock.instant(), until);
    if (left.isNegative() || left.isZero()) {
      throw new IllegalArgumentException("tripUntil: " + until + " is not after now (" + clock.instant() + ")");
    }
    forceFor(saturatedNanos(left), "forced open until " + until);
  }

  private static long saturatedNanos(Duration d) {
    return d.compareTo(ConfigDurations.MAX) > 0 ? ConfigDurations.MAX.toNanos() : d.toNanos();
  }

  /**
   * FORCED_OPEN for {@code nanos} from now. A breaker FORCED_OPEN already only gets the new end
   * (no transition is published: it stays in the state it is in).
   */
  private void forceFor(long nanos, String reason) {
    for (;;) {
      BreakerState s = state;
      long now = ticker.read();
      if (s.kind == CircuitState.FORCED_OPEN) {
        BreakerState renewed = new ForcedOpenState(this, s.config, s.sequence, s.history, now, nanos);
        if (STATE.compareAndSet(this, s, renewed)) {
          log.info("circuit breaker '{}' {} (it was FORCED_OPEN already)", name, reason);
          afterEntering(renewed);
          return;
        }
      } else if (transition(s, CircuitState.FORCED_OPEN, reason,
          (from, seq, history) -> new ForcedOpenState(this, from.config, seq, history, now, nanos))) {
        return;
      }
      Thread.onSpinWait();
    }
  }

  // ---------------------------------------------------------------- automatic transitions

  /**
   * Work a state asks for when it is entered: with automatic transitions on, the end of an OPEN
   * state, or of a timed FORCED_OPEN one, is scheduled (nothing is scheduled otherwise, so a
   * breaker without the option never touches a scheduler).
   */
  void afterEntering(BreakerState entered) {
    if (entered.config.automaticTransitionFromOpenToHalfOpen()
        && (entered instanceof OpenState || entered instanceof ForcedOpenState forced && forced.timed())) {
      scheduleEnd(entered, entered.remainingOpenNanos(ticker.read()));
    }
  }

  private void scheduleEnd(BreakerState s, long delayNanos) {
    try {
      scheduler().schedule(() -> endIfDue(s), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      // a shut-down scheduler: the next request still moves the breaker on
      log.warn("circuit breaker '{}': could not schedule the end of {} ({}); the next call will end it",
          name, s.kind, e.toString());
    }
  }

  /** The scheduled end of {@code s}: moves the breaker on, or waits more if the scheduler ran early. */
  private void endIfDue(BreakerState s) {
    BreakerState now = state;
    long nowNanos = ticker.read();
    if (now.sequence != s.sequence || now.remainingOpenNanos(nowNanos) != s.remainingOpenNanos(nowNanos)
        || now instanceof ForcedOpenState forced && !forced.timed()) {
      // the breaker has moved on meanwhile, or a tripFor gave it a new end (and a task of its own),
      // or a trip() made it open for good (an untimed state reads 0 remaining, as an ended one)
      return;
    }
    boolean over = now instanceof OpenState open ? open.expireIfDue(nowNanos)
        : ((ForcedOpenState) now).expireIfDue(nowNanos);
    if (!over) {
      scheduleEnd(s, Math.max(1L, now.remainingOpenNanos(nowNanos)));
    }
  }

  @Override
  public void disable() {
    force(CircuitState.DISABLED, DISABLED,
        (from, seq, history) -> new DisabledState(this, from.config, seq, history));
  }

  @Override
  public void transitionTo(CircuitState target) {
    Objects.requireNonNull(target, "target");
    switch (target) {
      case CLOSED:
        reset(); // from CLOSED too: empties the window, publishes nothing
        break;
      case OPEN:
        force(CircuitState.OPEN, OPENED_BY_OPERATOR,
            (from, seq, history) -> new OpenState(this, from.config, seq, history, ticker.read(),
                OpenState.openNanos(from.config, 1), 1, from.window()));
        break;
      case HALF_OPEN:
        force(CircuitState.HALF_OPEN, HALF_OPENED_BY_OPERATOR,
            (from, seq, history) -> new HalfOpenState(this, from.config, seq, history, 1,
                from.window(), null));
        break;
      case FORCED_OPEN:
        trip();
        break;
      case DISABLED:
        disable();
        break;
      case METRICS_ONLY:
        force(CircuitState.METRICS_ONLY, METRICS_ONLY,
            (from, seq, history) -> new MetricsOnlyState(this, from.config, seq, history,
                Window.create(from.config, ticker.read())));
        break;
      default:
        throw new IllegalArgumentException("unknown state " + target);
    }
  }

  private BreakerState freshClosed(BreakerState from, long sequence, List<StateTransition> history) {
    return new ClosedState(this, from.config, sequence, history, Window.create(from.config, ticker.read()));
  }

  @Override
  public void reconfigure(CircuitBreakerConfig config) {
    Objects.requireNonNull(config, "config");
    BreakerState s;
    BreakerState next;
    do {
      s = state;
      next = s.withConfig(config);
    } while (!STATE.compareAndSet(this, s, next));
    retireWindowLeft(s, next);
    if (!s.config.automaticTransitionFromOpenToHalfOpen()) {
      // turned on while OPEN (or tripped for a while): schedule the end this state was entered
      // without; a state entered with the option on has its task already
      afterEntering(next);
    }
    log.info("circuit breaker '{}' reconfigured in state {}", name, s.kind);
  }

  /**
   * Retires the window of a CLOSED state that {@code next} no longer records into: no call the
   * CLOSED state permitted may count in a later window, and the rates of the window a tripped
   * breaker keeps must stay those it tripped on.
   */
  private static void retireWindowLeft(BreakerState from, BreakerState next) {
    if (from instanceof ClosedState && !(next instanceof ClosedState && next.window() == from.window())) {
      from.window().retire(from.breaker.ticker.read());
    }
  }

  /** Where this breaker's timed work runs: the injected scheduler, else the shared one. */
  ScheduledExecutorService scheduler() {
    return scheduler != null ? scheduler : SharedScheduler.get();
  }

  /** The permits of this breaker's probes, shared by every HALF_OPEN episode. */
  ProbePermits probePermits() {
    ProbePermits permits = probePermits;
    if (permits == null) {
      PROBE_PERMITS.compareAndSet(this, null, new ProbePermits());
      permits = probePermits;
    }
    return permits;
  }

  void logReclaimedProbe(long heldStampMicros, long nowStampMicros) {
    log.warn("circuit breaker '{}': reclaimed a probe permit held for {} ms without an outcome",
        name, (nowStampMicros - heldStampMicros) / 1000);
  }

  // ---------------------------------------------------------------- listeners

  @Override
  public Subscription onStateChange(Consumer<? super StateTransition> listener) {
    return events.add(Objects.requireNonNull(listener, "listener"), true, false, this::refreshHooks);
  }

  @Override
  public Subscription onCall(Consumer<? super CallEvent> listener) {
    return events.add(Objects.requireNonNull(listener, "listener"), false, true, this::refreshHooks);
  }

  @Override
  public Subscription onEvent(Consumer<? super CircuitBreakerEvent> listener) {
    return events.add(Objects.requireNonNull(listener, "listener"), true, true, this::refreshHooks);
  }

  @Override
  public Subscription onThresholdExceeded(Consumer<? super ThresholdExceeded> listener) {
    return events.add(Objects.requireNonNull(listener, "listener"), EventDispatcher.THRESHOLDS, this::refreshHooks);
  }

  @Override
  public Subscription addObserver(CallObserver observer) {
    Objects.requireNonNull(observer, "observer");
    CallObserver[] seen;
    CallObserver[] grown;
    do {
      seen = observers;
      grown = Arrays.copyOf(seen, seen.length + 1);
      grown[seen.length] = observer;
    } while (!OBSERVERS.compareAndSet(this, seen, grown));
    refreshHooks();
    return () -> {
      CallObserver[] before;
      CallObserver[] after;
      do {
        before = observers;
        after = Arrays.stream(before).filter(o -> o != observer).toArray(CallObserver[]::new);
      } while (!OBSERVERS.compareAndSet(this, before, after));
      refreshHooks();
    };
  }

  private void refreshHooks() {
    int wanted;
    do {
      wanted = currentHooks();
      hooks = wanted;
    } while (wanted != currentHooks()); // a concurrent registration may have written an older view
  }

  private int currentHooks() {
    return (observers.length > 0 ? HOOK_OBSERVERS : 0) | (events.wantsCalls() ? HOOK_CALL_LISTENERS : 0);
  }

  /** The ticker that times the calls the current state permits (the precise or the coarse one). */
  Ticker callTickerForTest() {
    return state.callTicker;
  }

  /** Calls under a call timeout that are still linked for their deadline. */
  int timedCallsInFlightForTest() {
    CallDeadlines d = deadlines;
    return d == null ? 0 : d.inFlight();
  }

  @Override
  public String toString() {
    return "CircuitBreaker{name=" + name + ", state=" + state.kind + "}";
  }
}
