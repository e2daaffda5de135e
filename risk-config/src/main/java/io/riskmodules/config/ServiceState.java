package io.riskmodules.config;

/**
 * The operator's override of one service's breaker ({@code state:} under the service). Rewriting
 * the file (a Kubernetes ConfigMap, say) and letting every node reload it trips or releases the
 * breaker everywhere at once.
 */
public enum ServiceState {
  /** No override: the breaker follows its own state machine ({@code auto}, the default). */
  AUTO,
  /** Reject every call until the file says otherwise ({@code forced_open}). */
  FORCED_OPEN,
  /** Permit every call and record nothing until the file says otherwise ({@code disabled}). */
  DISABLED,
  /**
   * Shadow mode: permit every call, record it, and publish where the breaker would have opened,
   * never rejecting ({@code metrics_only}).
   */
  METRICS_ONLY;

  /** The YAML word. */
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
