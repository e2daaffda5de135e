package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;

/** CLOSED: every call is permitted and recorded in the sliding window. */
final class ClosedState extends BreakerState {

  private final Window window;

  ClosedState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, Window window) {
    super(breaker, config, CircuitState.CLOSED, sequence, history);
    this.window = window;
  }

  @Override
  long tryAcquire() {
    return FREE_PASS;
  }

  @Override
  void onSuccess(long token, long nowNanos, boolean slow) {
    String reason = window.recordSuccess(config, nowNanos, slow);
    if (reason != null) {
      trip(reason);
    }
  }

  @Override
  void onFailure(long token, long nowNanos, boolean slow) {
    String reason = window.recordFailure(config, nowNanos, slow);
    if (reason != null) {
      trip(reason);
    }
  }

  private void trip(String reason) {
    breaker.transition(this, CircuitState.OPEN, reason,
        (from, seq, history) -> new OpenState(breaker, from.config, seq, history,
            breaker.ticker.read(), OpenState.openNanos(from.config, 1), 1, from.window()));
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
