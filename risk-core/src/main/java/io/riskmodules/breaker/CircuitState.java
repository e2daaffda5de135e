package io.riskmodules.breaker;

import java.util.Locale;

/**
 * The state of a {@link CircuitBreaker}.
 *
 * <pre>{@code
 * if (breaker.state() == CircuitState.OPEN) { ... }
 * }</pre>
 */
public enum CircuitState {
  /** Calls pass; outcomes are recorded in the sliding window. */
  CLOSED,
  /** Calls are rejected until the open timeout has passed. */
  OPEN,
  /** A bounded number of probe calls test whether the downstream has recovered. */
  HALF_OPEN,
  /** Opened by an operator ({@link CircuitBreaker#trip()}); only {@link CircuitBreaker#reset()} leaves it. */
  FORCED_OPEN,
  /** Every call is permitted and nothing can trip the breaker. */
  DISABLED,
  /**
   * Shadow mode (Resilience4j's METRICS_ONLY): every call is permitted and recorded in a sliding
   * window as in CLOSED, but the breaker never opens; where CLOSED would have opened it publishes
   * a {@link WouldHaveOpened} event and starts a new window. Entered with {@link
   * CircuitBreaker#transitionTo}; only an operator's request leaves it.
   */
  METRICS_ONLY;

  /** The lower-case name the RFC and the YAML files use, for example {@code half_open}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a call made in this state can run without being a probe. */
  public boolean permitsCalls() {
    return this == CLOSED || this == DISABLED || this == METRICS_ONLY;
  }
}
