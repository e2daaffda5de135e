package io.riskmodules.breaker;

import io.riskmodules.breaker.internal.ConfigDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Immutable settings of a {@link CircuitBreaker}. Defaults are RFC-136's: five consecutive
 * failures, three successful probes, a 30 s open timeout, three probes at once, a 50 % failure
 * rate, 2000 ms slow calls at an 80 % slow-call rate; plus a count-based window of the last 100
 * calls that is evaluated once 10 calls are in it.
 *
 * <pre>{@code
 * CircuitBreakerConfig payments = CircuitBreakerConfig.builder()
 *     .failureThreshold(3)
 *     .successThreshold(5)
 *     .openTimeout(Duration.ofSeconds(60))
 *     .ignoreExceptions(IllegalArgumentException.class)
 *     .build();
 * }</pre>
 *
 * <p>Every value is checked by {@link Builder#build()}; a wrong one throws an {@link
 * IllegalArgumentException} that names the YAML key, the value and the rule. Instances are
 * immutable and thread-safe; {@link #toBuilder()} derives a changed copy.
 */
public final class CircuitBreakerConfig {

  private static final CircuitBreakerConfig DEFAULTS = new Builder().build();

  private final int failureThreshold;
  private final int successThreshold;
  private final Duration openTimeout;
  private final double openTimeoutMultiplier;
  private final Duration maxOpenTimeout;
  /** Computed once: {@code Duration.multipliedBy} initialises BigDecimal, not for a call path. */
  private final Duration effectiveMaxOpenTimeout;
  private final int halfOpenMaxCalls;
  private final Duration halfOpenProbeTimeout;
  private final double failureRateThreshold;
  private final boolean slowCallDetection;
  private final Duration slowCallDurationThreshold;
  private final double slowCallRateThreshold;
  private final int minimumNumberOfCalls;
  private final SlidingWindowType slidingWindowType;
  private final int slidingWindowSize;
  private final List<Class<? extends Throwable>> recordExceptions;
  private final List<Class<? extends Throwable>> ignoreExceptions;
  private final Predicate<? super Throwable> recordExceptionPredicate;
  private final Predicate<? super Throwable> ignoreExceptionPredicate;
  private final Predicate<Object> recordResultPredicate;
  private final boolean writableStackTrace;
  // -- timed work (issue #13: automatic transitions, call timeout)
  private final boolean automaticTransitionFromOpenToHalfOpen;
  /** Null: no call timeout. */
  private final Duration callTimeout;
  private final boolean interruptOnCallTimeout;
  private final boolean cancelOnCallTimeout;
  /** 0: the success threshold (one failed probe re-opens). */
  private final int halfOpenProbeWindow;
  private final double openTimeoutJitter;
  /** The user's, or null. */
  private final OpenTimeoutFunction userOpenTimeoutFunction;
  /** The user's, or the exponential one of the timeout, multiplier, cap and jitter. */
  private final OpenTimeoutFunction openTimeoutFunction;

  private CircuitBreakerConfig(Builder b) {
    this.failureThreshold = b.failureThreshold;
    this.successThreshold = b.successThreshold;
    this.openTimeout = b.openTimeout;
    this.openTimeoutMultiplier = b.openTimeoutMultiplier;
    this.maxOpenTimeout = b.maxOpenTimeout;
    this.effectiveMaxOpenTimeout = b.maxOpenTimeout != null ? b.maxOpenTimeout : b.openTimeout.multipliedBy(10);
    this.halfOpenMaxCalls = b.halfOpenMaxCalls;
    this.halfOpenProbeTimeout = b.halfOpenProbeTimeout;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slowCallDetection = b.slowCallDetection;
    this.slowCallDurationThreshold = b.slowCallDurationThreshold;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.minimumNumberOfCalls = b.minimumNumberOfCalls;
    this.slidingWindowType = b.slidingWindowType;
    this.slidingWindowSize = b.slidingWindowSize;
    this.recordExceptions = List.copyOf(b.recordExceptions);
    this.ignoreExceptions = List.copyOf(b.ignoreExceptions);
    this.recordExceptionPredicate = b.recordExceptionPredicate;
    this.ignoreExceptionPredicate = b.ignoreExceptionPredicate;
    this.recordResultPredicate = b.recordResultPredicate;
    this.writableStackTrace = b.writableStackTrace;
    this.automaticTransitionFromOpenToHalfOpen = b.automaticTransitionFromOpenToHalfOpen;
    this.callTimeout = b.callTimeout;
    this.interruptOnCallTimeout = b.interruptOnCallTimeout;
    this.cancelOnCallTimeout = b.cancelOnCallTimeout;
    this.halfOpenProbeWindow = b.halfOpenProbeWindow;
    this.openTimeoutJitter = b.openTimeoutJitter;
    this.userOpenTimeoutFunction = b.openTimeoutFunction;
    if (b.openTimeoutFunction != null) {
      this.openTimeoutFunction = b.openTimeoutFunction;
    } else {
      OpenTimeoutFunction grown =
          OpenTimeoutFunction.exponential(b.openTimeout, b.openTimeoutMultiplier, effectiveMaxOpenTimeout);
      this.openTimeoutFunction = b.openTimeoutJitter > 0 ? grown.withJitter(b.openTimeoutJitter) : grown;
    }
  }

  /** The RFC's defaults. */
  public static CircuitBreakerConfig ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the RFC's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Consecutive failures in CLOSED that trip the breaker ({@code failure_threshold}, default 5). */
  public int failureThreshold() {
    return failureThreshold;
  }

  /** Consecutive successful probes that close a HALF_OPEN breaker ({@code success_threshold}, default 3). */
  public int successThreshold() {
    return successThreshold;
  }

  /** How long the breaker stays OPEN after its first trip ({@code timeout_seconds}, default 30 s). */
  public Duration openTimeout() {
    return openTimeout;
  }

  /**
   * Factor applied to the open time for each trip that follows a failed probe without the breaker
   * closing in between ({@code open_timeout_multiplier}, default 1.0: no growth).
   */
  public double openTimeoutMultiplier() {
    return openTimeoutMultiplier;
  }

  /** Cap on the grown open time ({@code max_open_timeout_seconds}, default ten times the open timeout). */
  public Duration maxOpenTimeout() {
    return effectiveMaxOpenTimeout;
  }

  /** Probes that may be in flight at once in HALF_OPEN ({@code half_open_max_calls}, default 3). */
  public int halfOpenMaxCalls() {
    return halfOpenMaxCalls;
  }

  /**
   * How long a probe may hold its permit before another request may reclaim it, so that a probe
   * whose outcome never comes back cannot keep the breaker HALF_OPEN ({@code
   * half_open_probe_timeout_seconds}, default 60 s).
   */
  public Duration halfOpenProbeTimeout() {
    return halfOpenProbeTimeout;
  }

  /** Failure rate in the window that trips the breaker ({@code failure_rate_threshold}, default 0.5). */
  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  /** Whether call durations are measured to find slow calls (default true). */
  public boolean slowCallDetection() {
    return slowCallDetection;
  }

  /** A call that takes longer is slow ({@code slow_call_duration_threshold} in ms, default 2000 ms). */
  public Duration slowCallDurationThreshold() {
    return slowCallDurationThreshold;
  }

  /** Slow-call rate in the window that trips the breaker ({@code slow_call_rate_threshold}, default 0.8). */
  public double slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  /** Calls the window must hold before rates are evaluated ({@code minimum_number_of_calls}, default 10). */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /** Count-based or time-based window ({@code sliding_window_type}, default count-based). */
  public SlidingWindowType slidingWindowType() {
    return slidingWindowType;
  }

  /** Calls (count-based) or seconds (time-based) in the window ({@code sliding_window_size}, default 100). */
  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  /** Exception types recorded as failures; empty means every exception not ignored. */
  public List<Class<? extends Throwable>> recordExceptions() {
    return recordExceptions;
  }

  /** Exception types that count as neither success nor failure. */
  public List<Class<? extends Throwable>> ignoreExceptions() {
    return ignoreExceptions;
  }

  /** Whether a rejection exception carries a stack trace (default false: rejections are cheap). */
  public boolean writableStackTrace() {
    return writableStackTrace;
  }

  /**
   * The probes of a HALF_OPEN episode among which {@link #successThreshold()} must succeed ({@code
   * half_open_probe_window}, default the success threshold itself: every probe must succeed, and
   * one failed or slow probe re-opens the breaker). With a larger window the breaker closes once
   * {@code success_threshold} probes succeeded, and re-opens once more than {@code
   * half_open_probe_window - success_threshold} failed (or were slow): so it decides by the
   * window's last probe at the latest. Failsafe's {@code withSuccessThreshold(successes,
   * executions)}.
   */
  public int halfOpenProbeWindow() {
    return halfOpenProbeWindow == 0 ? successThreshold : halfOpenProbeWindow;
  }

  /**
   * How much the open time is moved at random either way, as a fraction of it ({@code
   * open_timeout_jitter}, default 0: not at all); see {@link OpenTimeoutFunction#withJitter}. Not
   * used with a function of the user's.
   */
  public double openTimeoutJitter() {
    return openTimeoutJitter;
  }

  /**
   * The open time of each opening in a row: the user's {@link Builder#openTimeoutFunction}, or the
   * open timeout grown by the multiplier per attempt, capped at {@link #maxOpenTimeout()}, with
   * {@link #openTimeoutJitter()}. Which openings count as another attempt: see {@link
   * OpenTimeoutFunction}.
   */
  public OpenTimeoutFunction openTimeoutFunction() {
    return openTimeoutFunction;
  }

  /** Whether a returned value counts as a failure (default: none does). */
  public boolean isFailureResult(Object result) {
    return recordResultPredicate != null && recordResultPredicate.test(result);
  }

  /** Whether results are tested at all; lets the call path skip the predicate. */
  public boolean hasResultPredicate() {
    return recordResultPredicate != null;
  }

  /**
   * Classifies a thrown exception: ignored ones are neither success nor failure; the others are
   * failures when they match the record types (or none are given) and the record predicate.
   */
  public boolean isIgnored(Throwable error) {
    for (Class<? extends Throwable> type : ignoreExceptions) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return ignoreExceptionPredicate != null && ignoreExceptionPredicate.test(error);
  }

  /** Whether a thrown exception that is not ignored counts as a failure. */
  public boolean isRecorded(Throwable error) {
    boolean typeMatches = recordExceptions.isEmpty();
    for (Class<? extends Throwable> type : recordExceptions) {
      if (type.isInstance(error)) {
        typeMatches = true;
        break;
      }
    }
    return typeMatches && (recordExceptionPredicate == null || recordExceptionPredicate.test(error));
  }

  /**
   * Whether an OPEN breaker moves to HALF_OPEN by itself when its open time is up, on the
   * breaker's scheduler, so that status, meters and alerts show HALF_OPEN without waiting for a
   * call ({@code automatic_transition_from_open_to_half_open}, default false: the next request
   * for a permit, {@code state()} or {@code status()} moves it). A {@code tripFor} ends the same
   * way. Applies from the next time the breaker opens.
   */
  public boolean automaticTransitionFromOpenToHalfOpen() {
    return automaticTransitionFromOpenToHalfOpen;
  }

  /**
   * How long a call may run before it counts as a failure ({@code call_timeout_ms}, default: no
   * timeout). A call still running at its deadline counts as a failure, and as slow (unless
   * slow-call detection is off), at that moment, so that a downstream whose calls hang trips the
   * breaker after {@code failure_threshold} deadlines; whatever the call does later is ignored, and
   * a probe's permit is returned (the failed probe reopens the breaker). {@code executeAsync}
   * completes its stage with a {@link java.util.concurrent.TimeoutException} at the deadline (or
   * with the fallback's value); a synchronous caller still waits for the call and gets its outcome
   * (see {@link #interruptOnCallTimeout()}). The two-step {@link Permit} form is not timed out.
   * Deadlines run on the breaker's scheduler; a reconfigure applies to calls started after it.
   */
  public java.util.Optional<Duration> callTimeout() {
    return java.util.Optional.ofNullable(callTimeout);
  }

  /**
   * Whether a synchronous call still running at its deadline is interrupted ({@code
   * interrupt_on_call_timeout}, default false). The breaker clears the interrupt it delivered
   * before the call returns to the caller, who gets the call's own outcome.
   */
  public boolean interruptOnCallTimeout() {
    return interruptOnCallTimeout;
  }

  /**
   * Whether the stage of an {@code executeAsync} call still running at its deadline is cancelled
   * ({@code cancel_on_call_timeout}, default false: it runs on, and its outcome is ignored).
   */
  public boolean cancelOnCallTimeout() {
    return cancelOnCallTimeout;
  }

  /** Whether {@code other} can keep this config's sliding window when a live breaker is reconfigured. */
  public boolean windowCompatibleWith(CircuitBreakerConfig other) {
    return slidingWindowType == other.slidingWindowType && slidingWindowSize == other.slidingWindowSize;
  }

  @Override
  public String toString() {
    return "CircuitBreakerConfig{failure_threshold=" + failureThreshold
        + ", success_threshold=" + successThreshold
        + ", timeout=" + openTimeout
        + ", half_open_max_calls=" + halfOpenMaxCalls
        + ", failure_rate_threshold=" + failureRateThreshold
        + ", slow_call_duration_threshold=" + (slowCallDetection ? slowCallDurationThreshold : "off")
        + ", slow_call_rate_threshold=" + slowCallRateThreshold
        + ", minimum_number_of_calls=" + minimumNumberOfCalls
        + ", sliding_window=" + slidingWindowType + "/" + slidingWindowSize
        + timedWorkToString() + moreToString() + "}";
  }

  /** Issue #13's timed work, only where it is on (a reload compares configs by this text). */
  private String timedWorkToString() {
    return (automaticTransitionFromOpenToHalfOpen ? ", automatic_transition_from_open_to_half_open=true" : "")
        + (callTimeout != null ? ", call_timeout=" + callTimeout : "")
        + (interruptOnCallTimeout ? ", interrupt_on_call_timeout=true" : "")
        + (cancelOnCallTimeout ? ", cancel_on_call_timeout=true" : "");
  }

  /**
   * The settings outside the RFC's, when not at their defaults: risk-config's hot reload compares
   * configs by this text, so a setting missing here would not be applied by a reload.
   */
  private String moreToString() {
    StringBuilder more = new StringBuilder();
    if (openTimeoutMultiplier != 1.0) {
      more.append(", open_timeout_multiplier=").append(openTimeoutMultiplier);
    }
    if (maxOpenTimeout != null) {
      more.append(", max_open_timeout=").append(maxOpenTimeout);
    }
    if (!halfOpenProbeTimeout.equals(Duration.ofSeconds(60))) {
      more.append(", half_open_probe_timeout=").append(halfOpenProbeTimeout);
    }
    if (writableStackTrace) {
      more.append(", writable_stack_trace=true");
    }
    if (halfOpenProbeWindow != 0) {
      more.append(", half_open_probe_window=").append(halfOpenProbeWindow);
    }
    if (openTimeoutJitter != 0) {
      more.append(", open_timeout_jitter=").append(openTimeoutJitter);
    }
    if (userOpenTimeoutFunction != null) {
      more.append(", open_timeout_function=").append(userOpenTimeoutFunction);
    }
    return more.toString();
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Not thread-safe; {@link #build()} copies and validates.
   */
  public static final class Builder {
    private int failureThreshold = 5;
    private int successThreshold = 3;
    private Duration openTimeout = Duration.ofSeconds(30);
    private double openTimeoutMultiplier = 1.0;
    private Duration maxOpenTimeout;
    private int halfOpenMaxCalls = 3;
    private Duration halfOpenProbeTimeout = Duration.ofSeconds(60);
    private double failureRateThreshold = 0.5;
    private boolean slowCallDetection = true;
    private Duration slowCallDurationThreshold = Duration.ofMillis(2000);
    private double slowCallRateThreshold = 0.8;
    private int minimumNumberOfCalls = 10;
    private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
    private int slidingWindowSize = 100;
    private final List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();
    private Predicate<? super Throwable> recordExceptionPredicate;
    private Predicate<? super Throwable> ignoreExceptionPredicate;
    private Predicate<Object> recordResultPredicate;
    private boolean writableStackTrace;
    // -- timed work (issue #13)
    private boolean automaticTransitionFromOpenToHalfOpen;
    private Duration callTimeout;
    private boolean interruptOnCallTimeout;
    private boolean cancelOnCallTimeout;
    private int halfOpenProbeWindow;
    private double openTimeoutJitter;
    private OpenTimeoutFunction openTimeoutFunction;

    Builder() {}

    Builder(CircuitBreakerConfig c) {
      failureThreshold = c.failureThreshold;
      successThreshold = c.successThreshold;
      openTimeout = c.openTimeout;
      openTimeoutMultiplier = c.openTimeoutMultiplier;
      maxOpenTimeout = c.maxOpenTimeout;
      halfOpenMaxCalls = c.halfOpenMaxCalls;
      halfOpenProbeTimeout = c.halfOpenProbeTimeout;
      failureRateThreshold = c.failureRateThreshold;
      slowCallDetection = c.slowCallDetection;
      slowCallDurationThreshold = c.slowCallDurationThreshold;
      slowCallRateThreshold = c.slowCallRateThreshold;
      minimumNumberOfCalls = c.minimumNumberOfCalls;
      slidingWindowType = c.slidingWindowType;
      slidingWindowSize = c.slidingWindowSize;
      recordExceptions.addAll(c.recordExceptions);
      ignoreExceptions.addAll(c.ignoreExceptions);
      recordExceptionPredicate = c.recordExceptionPredicate;
      ignoreExceptionPredicate = c.ignoreExceptionPredicate;
      recordResultPredicate = c.recordResultPredicate;
      writableStackTrace = c.writableStackTrace;
      automaticTransitionFromOpenToHalfOpen = c.automaticTransitionFromOpenToHalfOpen;
      callTimeout = c.callTimeout;
      interruptOnCallTimeout = c.interruptOnCallTimeout;
      cancelOnCallTimeout = c.cancelOnCallTimeout;
      halfOpenProbeWindow = c.halfOpenProbeWindow;
      openTimeoutJitter = c.openTimeoutJitter;
      openTimeoutFunction = c.userOpenTimeoutFunction;
    }

    /** See {@link CircuitBreakerConfig#failureThreshold()}; at least 1. */
    public Builder failureThreshold(int failures) {
      this.failureThreshold = failures;
      return this;
    }

    /** See {@link CircuitBreakerConfig#successThreshold()}; at least 1. */
    public Builder successThreshold(int probes) {
      this.successThreshold = probes;
      return this;
    }

    /** See {@link CircuitBreakerConfig#openTimeout()}; from 1 ms to 365 days. */
    public Builder openTimeout(Duration timeout) {
      this.openTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** See {@link CircuitBreakerConfig#openTimeoutMultiplier()}; at least 1.0. */
    public Builder openTimeoutMultiplier(double multiplier) {
      this.openTimeoutMultiplier = multiplier;
      return this;
    }

    /** See {@link CircuitBreakerConfig#maxOpenTimeout()}; at least the open timeout, at most 365 days. */
    public Builder maxOpenTimeout(Duration cap) {
      this.maxOpenTimeout = Objects.requireNonNull(cap, "cap");
      return this;
    }

    /** See {@link CircuitBreakerConfig#halfOpenMaxCalls()}; from 1 to 1000. */
    public Builder halfOpenMaxCalls(int probes) {
      this.halfOpenMaxCalls = probes;
      return this;
    }

    /** See {@link CircuitBreakerConfig#halfOpenProbeTimeout()}; from 1 ms to 365 days. */
    public Builder halfOpenProbeTimeout(Duration timeout) {
      this.halfOpenProbeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** See {@link CircuitBreakerConfig#failureRateThreshold()}; in (0, 1]. */
    public Builder failureRateThreshold(double rate) {
      this.failureRateThreshold = rate;
      return this;
    }

    /** See {@link CircuitBreakerConfig#slowCallDurationThreshold()}; from 1 ms to 365 days. Turns detection on. */
    public Builder slowCallDurationThreshold(Duration threshold) {
      this.slowCallDurationThreshold = Objects.requireNonNull(threshold, "threshold");
      this.slowCallDetection = true;
      return this;
    }

    /** See {@link CircuitBreakerConfig#slowCallRateThreshold()}; in (0, 1]. */
    public Builder slowCallRateThreshold(double rate) {
      this.slowCallRateThreshold = rate;
      return this;
    }

    /**
     * Turns slow-call detection off: the call path then reads no clock unless a time-based window
     * or a {@link CallObserver} needs it.
     */
    public Builder disableSlowCallDetection() {
      this.slowCallDetection = false;
      return this;
    }

    /** See {@link CircuitBreakerConfig#minimumNumberOfCalls()}; at least 1. */
    public Builder minimumNumberOfCalls(int calls) {
      this.minimumNumberOfCalls = calls;
      return this;
    }

    /** A window of the last {@code calls} calls; from 1 to 1,000,000. */
    public Builder countBasedWindow(int calls) {
      this.slidingWindowType = SlidingWindowType.COUNT_BASED;
      this.slidingWindowSize = calls;
      return this;
    }

    /** A window of the last {@code seconds} seconds; from 1 to 3600. */
    public Builder timeBasedWindow(int seconds) {
      this.slidingWindowType = SlidingWindowType.TIME_BASED;
      this.slidingWindowSize = seconds;
      return this;
    }

    /** Only these exception types (and their subtypes) are failures; others count as successes. */
    @SafeVarargs
    public final Builder recordExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        recordExceptions.add(Objects.requireNonNull(type, "type"));
      }
      return this;
    }

    /** These exception types (and their subtypes) count as neither success nor failure. */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        ignoreExceptions.add(Objects.requireNonNull(type, "type"));
      }
      return this;
    }

    /**
     * An exception that is not ignored is a failure only if this predicate also accepts it. A
     * predicate that throws (say {@code e -> e.getMessage().contains("timeout")} on an exception
     * with no message) makes the call a failure; the caller still gets the call's own exception,
     * with the predicate's attached as suppressed, and the breaker logs a warning.
     */
    public Builder recordException(Predicate<? super Throwable> predicate) {
      this.recordExceptionPredicate = Objects.requireNonNull(predicate, "predicate");
      return this;
    }

    /**
     * Exceptions this predicate accepts count as neither success nor failure. One that throws is
     * handled as for {@link #recordException(Predicate)}.
     */
    public Builder ignoreException(Predicate<? super Throwable> predicate) {
      this.ignoreExceptionPredicate = Objects.requireNonNull(predicate, "predicate");
      return this;
    }

    /**
     * A returned value this predicate accepts counts as a failure (the value is still returned to
     * the caller). The predicate must accept any value the protected calls return, null included;
     * one that throws makes the call a failure, and the caller gets the predicate's exception
     * instead of the value.
     */
    public Builder recordResult(Predicate<Object> predicate) {
      this.recordResultPredicate = Objects.requireNonNull(predicate, "predicate");
      return this;
    }

    /**
     * A returned value of {@code type} that {@code predicate} accepts counts as a failure (the
     * value is still returned to the caller); values of other types, and null, never do, so the
     * predicate needs no cast and a result of another type cannot fail the call with a {@code
     * ClassCastException}. A primitive type stands for its wrapper ({@code int.class} tests the
     * {@code Integer} a call returns). Replaces any result predicate set before.
     *
     * <pre>{@code
     * builder.recordResult(HttpResponse.class, r -> r.statusCode() >= 500)
     * }</pre>
     */
    @SuppressWarnings("unchecked")
    public <T> Builder recordResult(Class<T> type, Predicate<? super T> predicate) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(predicate, "predicate");
      // a returned value is always boxed: int.class.isInstance(42) is false, which would make the
      // predicate silently never apply
      Class<T> boxed = (Class<T>) java.lang.invoke.MethodType.methodType(type).wrap().returnType();
      this.recordResultPredicate = result -> boxed.isInstance(result) && predicate.test(boxed.cast(result));
      return this;
    }

    /** Whether {@link CallNotPermittedException} fills in its stack trace (default false). */
    public Builder writableStackTrace(boolean enabled) {
      this.writableStackTrace = enabled;
      return this;
    }

    /**
     * See {@link CircuitBreakerConfig#automaticTransitionFromOpenToHalfOpen()}; default false.
     *
     * <pre>{@code
     * CircuitBreakerConfig.builder().automaticTransitionFromOpenToHalfOpen(true).build();
     * }</pre>
     */
    public Builder automaticTransitionFromOpenToHalfOpen(boolean enabled) {
      this.automaticTransitionFromOpenToHalfOpen = enabled;
      return this;
    }

    /**
     * See {@link CircuitBreakerConfig#callTimeout()}; from 1 ms to 365 days.
     *
     * <pre>{@code
     * CircuitBreakerConfig.builder().callTimeout(Duration.ofSeconds(2)).interruptOnCallTimeout(true).build();
     * }</pre>
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** No call timeout (the default). */
    public Builder disableCallTimeout() {
      this.callTimeout = null;
      return this;
    }

    /** See {@link CircuitBreakerConfig#interruptOnCallTimeout()}; default false. */
    public Builder interruptOnCallTimeout(boolean interrupt) {
      this.interruptOnCallTimeout = interrupt;
      return this;
    }

    /** See {@link CircuitBreakerConfig#cancelOnCallTimeout()}; default false. */
    public Builder cancelOnCallTimeout(boolean cancel) {
      this.cancelOnCallTimeout = cancel;
      return this;
    }

    /**
     * See {@link CircuitBreakerConfig#halfOpenProbeWindow()}; from the success threshold to 10,000.
     * For example {@code successThreshold(3).halfOpenProbeWindow(5)}: close when three of five
     * probes succeed, re-open at the third failure.
     */
    public Builder halfOpenProbeWindow(int probes) {
      this.halfOpenProbeWindow = probes;
      return this;
    }

    /** See {@link CircuitBreakerConfig#openTimeoutJitter()}; in [0, 1). */
    public Builder openTimeoutJitter(double jitter) {
      this.openTimeoutJitter = jitter;
      return this;
    }

    /**
     * The open time as a function of the attempt (see {@link OpenTimeoutFunction}), in place of
     * the open timeout grown by {@code openTimeoutMultiplier} up to {@code maxOpenTimeout} with
     * {@code openTimeoutJitter}; the open timeout remains what a function that fails gives.
     *
     * <pre>{@code
     * builder.openTimeoutFunction(attempt -> Duration.ofSeconds(Math.min(300, 5L * attempt * attempt)));
     * }</pre>
     */
    public Builder openTimeoutFunction(OpenTimeoutFunction function) {
      this.openTimeoutFunction = Objects.requireNonNull(function, "function");
      return this;
    }

    /**
     * Validates every value and returns the immutable config.
     *
     * @throws IllegalArgumentException naming the first wrong field, its value and the rule
     */
    public CircuitBreakerConfig build() {
      atLeast("failure_threshold", failureThreshold, 1);
      atLeast("success_threshold", successThreshold, 1);
      positive("timeout_seconds", openTimeout);
      require(openTimeoutMultiplier >= 1.0 && Double.isFinite(openTimeoutMultiplier),
          "open_timeout_multiplier must be at least 1.0, was %s", openTimeoutMultiplier);
      if (maxOpenTimeout != null) {
        positive("max_open_timeout_seconds", maxOpenTimeout);
        require(maxOpenTimeout.compareTo(openTimeout) >= 0,
            "max_open_timeout_seconds must be at least timeout_seconds (%s), was %s",
            openTimeout, maxOpenTimeout);
      }
      require(halfOpenMaxCalls >= 1 && halfOpenMaxCalls <= 1000,
          "half_open_max_calls must be from 1 to 1000, was %s", halfOpenMaxCalls);
      positive("half_open_probe_timeout_seconds", halfOpenProbeTimeout);
      rate("failure_rate_threshold", failureRateThreshold);
      positive("slow_call_duration_threshold", slowCallDurationThreshold);
      rate("slow_call_rate_threshold", slowCallRateThreshold);
      atLeast("minimum_number_of_calls", minimumNumberOfCalls, 1);
      if (slidingWindowType == SlidingWindowType.COUNT_BASED) {
        require(slidingWindowSize >= 1 && slidingWindowSize <= 1_000_000,
            "sliding_window_size must be from 1 to 1000000 calls, was %s", slidingWindowSize);
      } else {
        require(slidingWindowSize >= 1 && slidingWindowSize <= 3600,
            "sliding_window_size must be from 1 to 3600 seconds, was %s", slidingWindowSize);
      }
      if (callTimeout != null) {
        positive("call_timeout_ms", callTimeout);
      }
      require(openTimeoutJitter >= 0 && openTimeoutJitter < 1,
          "open_timeout_jitter must be in [0, 1), was %s", openTimeoutJitter);
      if (halfOpenProbeWindow != 0) {
        require(halfOpenProbeWindow >= successThreshold && halfOpenProbeWindow <= 10_000,
            "half_open_probe_window must be from success_threshold (%s) to 10000, was %s",
            successThreshold, halfOpenProbeWindow);
      }
      return new CircuitBreakerConfig(this);
    }

    private static void atLeast(String key, int value, int min) {
      require(value >= min, "%s must be at least %s, was %s", key, min, value);
    }

    private static void rate(String key, double value) {
      require(value > 0 && value <= 1, "%s must be in (0, 1], was %s", key, value);
    }

    private static void positive(String key, Duration value) {
      ConfigDurations.requireInRange(key, value);
    }

    private static void require(boolean ok, String message, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException(String.format(message, args));
      }
    }
  }
}
