package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;

/** DISABLED: every call is permitted and counted, and nothing trips the breaker. */
final class DisabledState extends BreakerState {

  DisabledState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history) {
    super(breaker, config, CircuitState.DISABLED, sequence, history);
  }

  @Override
  long tryAcquire() {
    return FREE_PASS;
  }

  @Override
  BreakerState withConfig(CircuitBreakerConfig newConfig) {
    return new DisabledState(breaker, newConfig, sequence, history);
  }
}
