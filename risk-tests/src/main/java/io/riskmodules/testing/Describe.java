package io.riskmodules.testing;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.Notification;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.risk.RiskAssessment;
import io.riskmodules.risk.RiskFactor;
import java.util.List;
import java.util.Locale;

/** Multi-line descriptions printed by failing assertions: everything a reader needs, nothing secret. */
final class Describe {

  private Describe() {}

  static String status(CircuitBreakerStatus s) {
    StringBuilder sb = new StringBuilder();
    sb.append("circuit breaker '").append(s.name()).append("'\n");
    sb.append("  state:                ").append(s.state());
    if (s.remainingOpenMillis() > 0) {
      sb.append(" (").append(s.remainingOpenMillis()).append(" ms of open time left)");
    }
    sb.append('\n');
    sb.append("  calls:                total ").append(s.totalCalls())
        .append(" = successful ").append(s.successfulCalls())
        .append(" + failed ").append(s.failedCalls())
        .append(" + rejected ").append(s.rejectedCalls())
        .append(" + ignored ").append(s.ignoredCalls())
        .append("; slow ").append(s.slowCalls()).append('\n');
    sb.append("  window:               ").append(s.callsInWindow()).append(" call(s), failure rate ")
        .append(rate(s.failureRate())).append(", slow-call rate ").append(rate(s.slowCallRate()))
        .append(s.enoughCalls() ? "" : " (not enough data: fewer than " + s.minimumCalls() + " calls)").append('\n');
    sb.append("  consecutive failures: ").append(s.consecutiveFailures()).append('\n');
    sb.append("  last transitions:");
    List<StateTransition> transitions = s.lastTransitions();
    if (transitions.isEmpty()) {
      sb.append("     none\n");
    } else {
      sb.append('\n');
      for (StateTransition t : transitions) {
        sb.append("    ").append(t.instant()).append(' ').append(t.from()).append(" -> ").append(t.to())
            .append(" (").append(t.reason()).append(")\n");
      }
    }
    sb.append("  config:               ").append(s.config());
    return sb.toString();
  }

  static String assessment(RiskAssessment a) {
    StringBuilder sb = new StringBuilder();
    sb.append("risk of '").append(a.name()).append("' at ").append(java.time.Instant.ofEpochMilli(a.epochMillis()))
        .append(": score ").append(String.format(Locale.ROOT, "%.2f", a.score())).append(", level ").append(a.level());
    for (RiskFactor f : a.factors()) {
      sb.append("\n  ").append(f.name()).append(": value ").append(String.format(Locale.ROOT, "%.4f", f.value()))
          .append(", threshold ").append(f.threshold()).append(", weight ").append(f.weight())
          .append(", contributes ").append(String.format(Locale.ROOT, "%.2f", f.contribution()))
          .append(" (").append(f.reason()).append(')');
    }
    return sb.toString();
  }

  static String alert(Alert a) {
    return a.status() + " " + a.severity().value() + " " + a.kind() + " key=" + a.key() + " source=" + a.source()
        + " title=\"" + a.title() + "\"" + (a.labels().isEmpty() ? "" : " labels=" + a.labels());
  }

  static String notifications(List<Notification> notifications) {
    if (notifications.isEmpty()) {
      return "no notification recorded";
    }
    StringBuilder sb = new StringBuilder(notifications.size() + " notification(s) recorded:");
    int i = 0;
    for (Notification n : notifications) {
      sb.append("\n  #").append(++i).append(" at ").append(n.createdAt());
      for (Alert a : n.alerts()) {
        sb.append("\n    ").append(alert(a));
      }
    }
    return sb.toString();
  }

  private static String rate(double r) {
    return String.format(Locale.ROOT, "%.4f", r);
  }
}
