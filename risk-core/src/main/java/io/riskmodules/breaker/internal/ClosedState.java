package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;

/**
 * CLOSED: every call is permitted and recorded in the sliding window. Also the base of {@link
 * MetricsOnlyState}, which records the same way and only decides differently when the window trips.
 */
class ClosedState extends BreakerState {

  private final Window window;
  /** The window's lane, held here so that a fast success reads only this state and the lane. */
  final FastLane lane;

  ClosedState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, Window window) {
    this(breaker, config, CircuitState.CLOSED, sequence, history, window);
  }

  ClosedState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, CircuitState kind, long sequence,
      List<StateTransition> history, Window window) {
    super(breaker, config, kind, sequence, history);
    this.window = window;
    this.lane = window.lane;
  }

  @Override
  long tryAcquire() {
    return FREE_PASS;
  }

  @Override
  void onSuccess(long token, long nowNanos, boolean slow) {
    StateTransition tripped = window.recordSuccess(this, nowNanos, slow);
    if (tripped != null) {
      breaker.publish(tripped);
    }
  }

  @Override
  void onFailure(long token, long nowNanos, boolean slow) {
    StateTransition tripped = window.recordFailure(this, nowNanos, slow);
    if (tripped != null) {
      breaker.publish(tripped);
    }
  }

  /**
   * Moves this state to OPEN; called by the window, under its lock, when it decides to trip.
   *
   * @return the transition to publish once the lock is let go, or null if another one won
   */
  StateTransition tripUnderLock(Window.Breach breach) {
    StateTransition t = breaker.commit(this, CircuitState.OPEN, breach.reason(),
        (from, seq, history) -> new OpenState(breaker, from.config, seq, history,
            breaker.ticker.read(), OpenState.openNanos(from.config, 1), 1, from.window()));
    if (t != null) {
      // delivered just before the transition, whichever thread publishes what first
      breaker.precede(t, breach.event(t.breakerName(), t.epochMillis(), t.tags()));
    }
    return t;
  }

  @Override
  BreakerState withConfig(CircuitBreakerConfig newConfig) {
    Window kept = window.fits(newConfig) ? window : Window.create(newConfig, breaker.ticker.read());
    return new ClosedState(breaker, newConfig, sequence, history, kept);
  }

  @Override
  Window window() {
    return window;
  }

  @Override
  int consecutiveFailures() {
    return window.consecutiveFailures();
  }
}
