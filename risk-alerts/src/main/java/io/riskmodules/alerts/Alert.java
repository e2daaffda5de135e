package io.riskmodules.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert, firing or resolved. Immutable. Two alerts with the same {@link #key()} are the same
 * alert at two moments: the manager deduplicates on it, and sinks that deduplicate downstream
 * (PagerDuty's {@code dedup_key}, Alertmanager's label set) derive their keys from it.
 *
 * <pre>{@code
 * Alert a = Alert.firing("disk:node-1", AlertKind.CUSTOM, Severity.HIGH, "node-1",
 *     "Disk almost full", "92% used on /var", Instant.now());
 * manager.fire(a);
 * }</pre>
 *
 * @param key stable deduplication key, for example {@code breaker_open:payment_service}
 * @param kind what raised it
 * @param severity how urgent it is
 * @param source the service or breaker name it is about
 * @param title one line for humans
 * @param details a few lines for humans (may be empty)
 * @param status firing or resolved
 * @param startsAt when it started firing (from the manager's clock)
 * @param endsAt when it was resolved; {@code null} while firing
 * @param labels extra low-cardinality facts (for example {@code reason}, {@code state}); never secrets
 */
public record Alert(
    String key,
    AlertKind kind,
    Severity severity,
    String source,
    String title,
    String details,
    Status status,
    Instant startsAt,
    Instant endsAt,
    Map<String, String> labels) {

  /** Whether an alert still fires or has been resolved. */
  public enum Status {
    /** The condition holds. */
    FIRING,
    /** The condition no longer holds. */
    RESOLVED
  }

  /** Checks the fields; {@code labels} is copied. */
  public Alert {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startsAt, "startsAt");
    details = details == null ? "" : details;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (key.isBlank()) {
      throw new IllegalArgumentException("alert key must not be blank");
    }
    if (status == Status.RESOLVED && endsAt == null) {
      throw new IllegalArgumentException("a resolved alert needs endsAt, key " + key);
    }
    if (status == Status.FIRING && endsAt != null) {
      throw new IllegalArgumentException("a firing alert has no endsAt, key " + key);
    }
  }

  /** A firing alert without labels. */
  public static Alert firing(
      String key, AlertKind kind, Severity severity, String source, String title, String details, Instant startsAt) {
    return new Alert(key, kind, severity, source, title, details, Status.FIRING, startsAt, null, Map.of());
  }

  /** Whether it fires. */
  public boolean isFiring() {
    return status == Status.FIRING;
  }

  /** This alert resolved at {@code at}. */
  public Alert resolvedAt(Instant at) {
    return new Alert(key, kind, severity, source, title, details, Status.RESOLVED, startsAt, at, labels);
  }

  /** This alert with another severity. */
  public Alert withSeverity(Severity s) {
    return new Alert(key, kind, s, source, title, details, status, startsAt, endsAt, labels);
  }
}
