package io.riskmodules.breaker;

import io.riskmodules.breaker.internal.DefaultCircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Protects calls to one downstream: lets them through while it is healthy, rejects them fast
 * while it is not, and probes it to find out when it has recovered.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
 * CircuitBreaker payments = registry.breaker("payment_service");
 *
 * Receipt r = payments.execute(() -> client.charge(order));
 * Receipt r2 = payments.execute(() -> client.charge(order), cause -> Receipt.deferred(order));
 * CompletionStage<Receipt> f = payments.executeAsync(() -> client.chargeAsync(order));
 * }</pre>
 *
 * <p>States: CLOSED until {@code failure_threshold} consecutive failures, or a failure or slow-call
 * rate over the sliding window at or above its threshold, trip it OPEN; after the open timeout the
 * next request for a permit moves it HALF_OPEN, where at most {@code half_open_max_calls} probes
 * run at once; {@code success_threshold} successful probes close it, one failed probe opens it
 * again. {@link #trip()} forces it open and {@link #disable()} lets everything through, both until
 * {@link #reset()}.
 *
 * <p>All methods are thread-safe and none holds a lock around the protected call. Listeners run
 * on the event executor (by default {@link ForkJoinPool#commonPool()}), never on the caller's
 * thread, and receive transitions in the order they happened.
 */
public interface CircuitBreaker {

  /** A breaker with the given config, the system ticker and clock, and the common pool for events. */
  static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    return builder(name).config(config).build();
  }

  /** A breaker with RFC-136's default config. */
  static CircuitBreaker ofDefaults(String name) {
    return builder(name).build();
  }

  /** A builder for a breaker whose clock, ticker or event executor are not the system's. */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /** The breaker's name, as given. */
  String name();

  /** The config in force. */
  CircuitBreakerConfig config();

  /**
   * The current state. Reading it moves an OPEN breaker whose open timeout has passed to
   * HALF_OPEN, as a request for a permit would.
   */
  CircuitState state();

  /** An immutable snapshot: state, counts, rates, remaining open time, last transitions, config. */
  CircuitBreakerStatus status();

  /** Time until an OPEN breaker lets probes through; zero in any other state. */
  Duration remainingOpenTime();

  /**
   * Runs {@code supplier} if permitted and records its outcome.
   *
   * @throws CallNotPermittedException if the breaker does not permit the call
   */
  <T> T execute(Supplier<? extends T> supplier);

  /**
   * Runs {@code supplier} if permitted; on rejection or on a recorded failure returns {@code
   * fallback} applied to the cause ({@link CallNotPermittedException} or the exception thrown).
   * Ignored exceptions and {@link Error}s propagate.
   */
  <T> T execute(Supplier<? extends T> supplier, Function<? super Throwable, ? extends T> fallback);

  /** As {@link #execute(Supplier)} for code that throws checked exceptions; they propagate unwrapped. */
  <T> T call(Callable<? extends T> callable) throws Exception;

  /** As {@link #execute(Supplier, Function)} for code that throws checked exceptions. */
  <T> T call(Callable<? extends T> callable, Function<? super Throwable, ? extends T> fallback)
      throws Exception;

  /** As {@link #execute(Supplier)} for a call without a result. */
  void run(Runnable runnable);

  /** As {@link #execute(Supplier, Function)} for a call without a result. */
  void run(Runnable runnable, Consumer<? super Throwable> fallback);

  /**
   * Starts an asynchronous call if permitted and records its outcome when the stage completes. A
   * rejection returns a stage failed with {@link CallNotPermittedException}; a supplier that
   * throws returns a stage failed with its exception. A stage that completes with a {@link
   * java.util.concurrent.CancellationException} counts as ignored: neither success nor failure,
   * and a probe permit it held is returned. Cancelling the returned stage does not cancel the
   * call; its outcome is still recorded.
   */
  <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> supplier);

  /** As {@link #executeAsync(Supplier)}, completing with {@code fallback} on rejection or recorded failure. */
  <T> CompletionStage<T> executeAsync(
      Supplier<? extends CompletionStage<T>> supplier, Function<? super Throwable, ? extends T> fallback);

  /** A supplier that runs {@code supplier} through this breaker on each {@code get()}. */
  <T> Supplier<T> decorate(Supplier<T> supplier);

  /** A callable that runs {@code callable} through this breaker on each {@code call()}. */
  <T> Callable<T> decorateCallable(Callable<T> callable);

  /** A function that runs {@code function} through this breaker on each {@code apply()}. */
  <T, R> Function<T, R> decorateFunction(Function<T, R> function);

  /** A runnable that runs {@code runnable} through this breaker on each {@code run()}. */
  Runnable decorateRunnable(Runnable runnable);

  /**
   * A checked supplier that runs {@code supplier} through this breaker on each {@code get()}; its
   * checked exceptions reach the caller unwrapped, as with {@link #call(Callable)}.
   *
   * <pre>{@code
   * CheckedSupplier<Page> fetch = breaker.decorateCheckedSupplier(() -> client.fetch(id)); // throws IOException
   * }</pre>
   */
  default <T> CheckedSupplier<T> decorateCheckedSupplier(CheckedSupplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    Callable<T> guarded = decorateCallable(supplier::get);
    return guarded::call;
  }

  /** A checked function that runs {@code function} through this breaker on each {@code apply()}. */
  default <T, R> CheckedFunction<T, R> decorateCheckedFunction(CheckedFunction<T, R> function) {
    Objects.requireNonNull(function, "function");
    return argument -> call(() -> function.apply(argument));
  }

  /** A checked runnable that runs {@code runnable} through this breaker on each {@code run()}. */
  default CheckedRunnable decorateCheckedRunnable(CheckedRunnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    Callable<Void> guarded = decorateCallable(() -> {
      runnable.run();
      return null;
    });
    return guarded::call;
  }

  /**
   * The first step of the two-step form: a permit to report on once the call is done.
   *
   * @throws CallNotPermittedException if the breaker does not permit a call (counted as rejected)
   */
  Permit acquirePermit();

  /** As {@link #acquirePermit()}, returning empty instead of throwing when rejected. */
  Optional<Permit> tryAcquirePermit();

  /**
   * Closes the breaker and clears its window, from any state. From CLOSED it only clears the
   * window: no transition is published.
   */
  void reset();

  /**
   * Forces the breaker open (FORCED_OPEN) until {@link #reset()}: the RFC's {@code force_open}.
   * When it is FORCED_OPEN already, nothing happens and nothing is published.
   */
  void trip();

  /**
   * Forces the breaker open (FORCED_OPEN) for {@code duration}, then closes it with an empty
   * window: for a maintenance window, or to shed load for a while. The end is noticed by the next
   * request for a permit, {@link #state()} or {@link #status()}, or at the time itself when
   * {@link CircuitBreakerConfig#automaticTransitionFromOpenToHalfOpen() automatic transitions} are
   * on. When it is FORCED_OPEN already (by {@link #trip()} too) only the end changes: nothing is
   * published. {@link #reset()} ends it early. Rejections carry the time left.
   *
   * <pre>{@code
   * payments.tripFor(Duration.ofMinutes(10));   // database migration
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code duration} is not positive (more than 365 days
   *     counts as 365 days)
   */
  void tripFor(Duration duration);

  /**
   * As {@link #tripFor(Duration)}, until {@code until} on the breaker's clock (the time left is
   * measured from now, on the ticker: a wall clock that jumps later does not move the end).
   *
   * @throws IllegalArgumentException if {@code until} is not after the clock's now
   */
  void tripUntil(java.time.Instant until);

  /**
   * Lets every call through and never trips (DISABLED) until {@link #reset()}. When it is DISABLED
   * already, nothing happens and nothing is published.
   */
  void disable();

  /**
   * Moves the breaker to {@code target} now, whatever its state (an operator's override). To the
   * state it is in, nothing happens and nothing is published (CLOSED: as {@link #reset()}, which
   * clears the window).
   */
  void transitionTo(CircuitState target);

  /**
   * Applies a new config to this live breaker without losing its state; the sliding window is
   * kept when its type and size are unchanged.
   */
  void reconfigure(CircuitBreakerConfig config);

  /** Registers a listener for state transitions. */
  Subscription onStateChange(Consumer<? super StateTransition> listener);

  /** Registers a listener for every call's outcome; while one is registered each call allocates an event. */
  Subscription onCall(Consumer<? super CallEvent> listener);

  /** Registers a listener for every event. */
  Subscription onEvent(Consumer<? super CircuitBreakerEvent> listener);

  /**
   * Registers a listener for the thresholds that trip this breaker, each with the value measured
   * and the threshold (see {@link ThresholdExceeded}); it runs on the event executor, just before
   * the transition to OPEN the threshold caused is delivered.
   *
   * <pre>{@code
   * breaker.onThresholdExceeded(e -> log.warn("{}: {} {} reached {}", e.breakerName(), e.setting(), e.measured(), e.threshold()));
   * }</pre>
   */
  Subscription onThresholdExceeded(Consumer<? super ThresholdExceeded> listener);

  /**
   * The breaker's tags (say {@code region=eu}), given by its builder or its registry: every event
   * it publishes carries them, and the meter binder adds them to its meters. Empty by default.
   */
  default Map<String, String> tags() {
    return Map.of();
  }

  /** Attaches a synchronous, allocation-free observer of call outcomes and durations. */
  Subscription addObserver(CallObserver observer);

  /**
   * Builds a {@link CircuitBreaker}. Not thread-safe.
   *
   * <pre>{@code
   * ManualClock clock = new ManualClock();
   * CircuitBreaker b = CircuitBreaker.builder("inventory_service")
   *     .config(config).ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
   * }</pre>
   */
  final class Builder {
    private final String name;
    private CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private Executor eventExecutor = ForkJoinPool.commonPool();
    private ScheduledExecutorService scheduler;
    private Map<String, String> tags = Map.of();

    Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("circuit breaker name must not be blank");
      }
      this.name = name;
    }

    /** The settings (default: RFC-136's). */
    public Builder config(CircuitBreakerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The monotonic time source for durations (default: {@link Ticker#system()}). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The wall clock for event timestamps (default: {@link Clock#systemUTC()}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where listeners run (default: the common pool); {@code Runnable::run} delivers synchronously. */
    public Builder eventExecutor(Executor executor) {
      this.eventExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Where the breaker's timed work runs: call deadlines ({@link
     * CircuitBreakerConfig#callTimeout()}) and automatic transitions ({@link
     * CircuitBreakerConfig#automaticTransitionFromOpenToHalfOpen()}). Default: one daemon thread
     * shared by every breaker, running only while such work is pending. Give a test a scheduler
     * on its manual time (with the same time as {@link #ticker}) and deadlines pass when the test
     * advances it. The breaker never shuts it down.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The breaker, CLOSED. */
    /**
     * See {@link CircuitBreaker#tags()}. Keys and values must not be blank; {@code name}, {@code
     * state}, {@code outcome} and {@code level} are the meters' own tags and cannot be used.
     */
    public Builder tags(Map<String, String> tags) {
      this.tags = checkedTags(tags);
      return this;
    }

    public CircuitBreaker build() {
      return new DefaultCircuitBreaker(name, config, ticker, clock, eventExecutor, scheduler, tags);
    }

    /** An immutable copy in key order, checked. */
    static Map<String, String> checkedTags(Map<String, String> tags) {
      Objects.requireNonNull(tags, "tags");
      java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
      for (Map.Entry<String, String> e : tags.entrySet()) {
        String key = e.getKey();
        String value = e.getValue();
        if (key == null || key.isBlank() || value == null || value.isBlank()) {
          throw new IllegalArgumentException("tags: keys and values must not be blank, was " + key + "=" + value);
        }
        if (java.util.Set.of("name", "state", "outcome", "level").contains(key)) {
          throw new IllegalArgumentException(
              "tags: '" + key + "' is a tag of the meters themselves (name, state, outcome, level); choose another key");
        }
        sorted.put(key, value);
      }
      return java.util.Collections.unmodifiableMap(sorted);
    }
  }
}
