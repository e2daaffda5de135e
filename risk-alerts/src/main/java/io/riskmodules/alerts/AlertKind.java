package io.riskmodules.alerts;

/**
 * What an alert is about. The kind names the rule that raised it and is what inhibition rules
 * match on; {@link #alertName()} is the {@code alertname} label sent to Prometheus Alertmanager.
 */
public enum AlertKind {
  /** A breaker opened on its own (failure or slow-call rate); resolved when it closes. */
  BREAKER_OPEN("CircuitBreakerOpen"),
  /** An operator forced a breaker open ({@code trip()}); resolved when it is reset. */
  BREAKER_FORCED_OPEN("CircuitBreakerForcedOpen"),
  /** A risk level at or above the manager's threshold; resolved when the level falls below it. */
  RISK_HIGH("RiskLevelHigh"),
  /** An alert raised by the application through {@link AlertManager#fire(Alert)}. */
  CUSTOM("Custom");

  private final String alertName;

  AlertKind(String alertName) {
    this.alertName = alertName;
  }

  /** The {@code alertname} label of this kind, for example {@code CircuitBreakerOpen}. */
  public String alertName() {
    return alertName;
  }
}
