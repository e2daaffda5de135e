package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;

/** FORCED_OPEN: an operator opened the breaker; every call is rejected until a reset. */
final class ForcedOpenState extends BreakerState {

  ForcedOpenState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history) {
    super(breaker, config, CircuitState.FORCED_OPEN, sequence, history);
  }

  @Override
  long tryAcquire() {
    return -1;
  }

  @Override
  BreakerState withConfig(CircuitBreakerConfig newConfig) {
    return new ForcedOpenState(breaker, newConfig, sequence, history);
  }
}
