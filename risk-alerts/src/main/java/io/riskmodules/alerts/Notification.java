package io.riskmodules.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one sink receives at once: the alerts of one group that became due together (new, changed,
 * repeated or resolved), already filtered by the sink's severity filter. Never empty. Immutable.
 *
 * @param alerts the alerts, most severe first
 * @param createdAt when the manager made the notification
 */
public record Notification(List<Alert> alerts, Instant createdAt) {

  /** Checks and copies. */
  public Notification {
    alerts = List.copyOf(alerts);
    Objects.requireNonNull(createdAt, "createdAt");
    if (alerts.isEmpty()) {
      throw new IllegalArgumentException("a notification holds at least one alert");
    }
  }

  /** The firing alerts. */
  public List<Alert> firing() {
    return alerts.stream().filter(Alert::isFiring).toList();
  }

  /** The resolved alerts. */
  public List<Alert> resolved() {
    return alerts.stream().filter(a -> !a.isFiring()).toList();
  }

  /** The most urgent severity among the alerts. */
  public Severity highestSeverity() {
    Severity s = Severity.INFO;
    for (Alert a : alerts) {
      if (a.severity().isAtLeast(s)) {
        s = a.severity();
      }
    }
    return s;
  }

  /** One line for humans: {@code "[FIRING:2, RESOLVED:1] critical: payment_service breaker open"}. */
  public String summary() {
    int firing = firing().size();
    int resolved = alerts.size() - firing;
    StringBuilder sb = new StringBuilder("[");
    if (firing > 0) {
      sb.append("FIRING:").append(firing);
    }
    if (resolved > 0) {
      sb.append(firing > 0 ? ", " : "").append("RESOLVED:").append(resolved);
    }
    Alert first = alerts.get(0);
    sb.append("] ").append(highestSeverity().value()).append(": ").append(first.title());
    if (alerts.size() > 1) {
      sb.append(" (+").append(alerts.size() - 1).append(" more)");
    }
    return sb.toString();
  }
}
