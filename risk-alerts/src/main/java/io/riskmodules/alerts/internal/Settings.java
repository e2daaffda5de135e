package io.riskmodules.alerts.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.Ticker;
import io.riskmodules.risk.RiskLevel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The validated, immutable settings of an alert manager (built by {@code AlertManager.Builder}). */
public record Settings(
    List<Route> routes,
    Severity breakerOpenSeverity,
    Map<String, Severity> breakerOpenSeverities,
    Severity forcedOpenSeverity,
    Map<String, Severity> forcedOpenSeverities,
    RiskLevel riskThreshold,
    Map<RiskLevel, Severity> riskSeverities,
    Map<String, Map<RiskLevel, Severity>> serviceRiskSeverities,
    Duration groupWait,
    Duration repeatInterval,
    Duration resolveTimeout,
    boolean sendResolved,
    List<Inhibition> inhibitions,
    int maxAlertsPerNotification,
    int inboxCapacity,
    int queueCapacity,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    CircuitBreakerConfig sinkBreakerConfig,
    Duration evaluationInterval,
    Clock clock,
    Ticker ticker,
    MeterRegistry meterRegistry) {

  /** A sink and the severities it takes. */
  public record Route(AlertSink sink, Set<Severity> severityFilter) {
    public Route {
      severityFilter = Set.copyOf(severityFilter);
    }
  }

  /** While {@code source} fires for a service, {@code target} alerts of that service are held back. */
  public record Inhibition(AlertKind source, AlertKind target) {}

  Severity openSeverity(String service) {
    return breakerOpenSeverities.getOrDefault(service, breakerOpenSeverity);
  }

  Severity forcedSeverity(String service) {
    return forcedOpenSeverities.getOrDefault(service, forcedOpenSeverity);
  }

  Severity riskSeverity(String service, RiskLevel level) {
    Map<RiskLevel, Severity> own = serviceRiskSeverities.get(service);
    if (own != null && own.containsKey(level)) {
      return own.get(level);
    }
    return riskSeverities.get(level);
  }
}
