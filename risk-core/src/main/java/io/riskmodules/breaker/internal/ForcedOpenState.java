package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;

/**
 * FORCED_OPEN: an operator opened the breaker; every call is rejected until a reset, or, when it
 * was tripped for a while ({@code tripFor}, {@code tripUntil}), until that time is up: then the
 * next request for a permit (or a look at the state) closes it with an empty window.
 */
final class ForcedOpenState extends BreakerState {

  /** No end: only an operator's request leaves the state. */
  static final long FOREVER = Long.MAX_VALUE;

  private final long forcedAtNanos;
  /** How long it stays; {@link #FOREVER} for {@code trip()}. */
  private final long forcedNanos;

  ForcedOpenState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history) {
    this(breaker, config, sequence, history, 0L, FOREVER);
  }

  ForcedOpenState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, long forcedAtNanos, long forcedNanos) {
    super(breaker, config, CircuitState.FORCED_OPEN, sequence, history);
    this.forcedAtNanos = forcedAtNanos;
    this.forcedNanos = forcedNanos;
  }

  @Override
  long tryAcquire() {
    if (forcedNanos == FOREVER) {
      return -1;
    }
    long remaining = remainingOpenNanos(breaker.ticker.read());
    if (remaining > 0) {
      return -remaining - 1;
    }
    end();
    return RETRY;
  }

  /** Whether this state has a time to end. */
  boolean timed() {
    return forcedNanos != FOREVER;
  }

  /** Closes the breaker if its time is up; returns whether this state is over. */
  boolean expireIfDue(long nowNanos) {
    if (forcedNanos == FOREVER || remainingOpenNanos(nowNanos) > 0) {
      return false;
    }
    end();
    return true;
  }

  private void end() {
    breaker.transition(this, CircuitState.CLOSED,
        "forced open for " + (forcedNanos / 1_000_000) + " ms, time up",
        (from, seq, history) -> new ClosedState(breaker, from.config, seq, history,
            Window.create(from.config, breaker.ticker.read())));
  }

  @Override
  long remainingOpenNanos(long nowNanos) {
    if (forcedNanos == FOREVER) {
      return 0;
    }
    return Math.max(0, forcedNanos - (nowNanos - forcedAtNanos));
  }

  @Override
  BreakerState withConfig(CircuitBreakerConfig newConfig) {
    return new ForcedOpenState(breaker, newConfig, sequence, history, forcedAtNanos, forcedNanos);
  }
}
