package io.riskmodules.testing;

import io.riskmodules.breaker.CircuitBreakerStatus;

/**
 * Assertions on a {@link CircuitBreakerStatus} snapshot; a failure prints it whole.
 *
 * <pre>{@code
 * assertThat(breaker.status()).isHalfOpen().hasSuccessfulCalls(5);
 * }</pre>
 */
public class CircuitBreakerStatusAssert extends AbstractBreakerAssert<CircuitBreakerStatusAssert, CircuitBreakerStatus> {

  /** Prefer {@link RiskAssertions#assertThat(CircuitBreakerStatus)}. */
  public CircuitBreakerStatusAssert(CircuitBreakerStatus actual) {
    super(actual, CircuitBreakerStatusAssert.class);
  }

  @Override
  protected CircuitBreakerStatus status() {
    return actual;
  }
}
