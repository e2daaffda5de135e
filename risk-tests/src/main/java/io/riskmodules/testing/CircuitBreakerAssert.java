package io.riskmodules.testing;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerStatus;

/**
 * Assertions on a live {@link CircuitBreaker}; each check reads a fresh {@link
 * CircuitBreaker#status()} and a failure prints it whole.
 *
 * <pre>{@code
 * assertThat(breaker).isOpen().hasFailureRate(0.6).hasRejectedCalls(3);
 * }</pre>
 */
public class CircuitBreakerAssert extends AbstractBreakerAssert<CircuitBreakerAssert, CircuitBreaker> {

  /** Prefer {@link RiskAssertions#assertThat(CircuitBreaker)}. */
  public CircuitBreakerAssert(CircuitBreaker actual) {
    super(actual, CircuitBreakerAssert.class);
  }

  @Override
  protected CircuitBreakerStatus status() {
    return actual.status();
  }

  /** The breaker is called {@code name}. */
  public CircuitBreakerAssert hasName(String name) {
    isNotNull();
    if (!actual.name().equals(name)) {
      failWithMessage("%nExpecting name '%s'%nbut it was:%n%s", name, Describe.status(actual.status()));
    }
    return this;
  }
}
