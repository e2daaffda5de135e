package io.riskmodules.testing;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.Severity;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Predicates on alerts, to combine with {@link Predicate#and}, for {@link RecordingAlertSink}.
 *
 * <pre>{@code
 * sink.await(key("breaker_open:payment_service").and(firing()), Duration.ofSeconds(5));
 * List<Alert> pages = sink.alerts(severity(Severity.CRITICAL));
 * }</pre>
 */
public final class AlertMatchers {

  private AlertMatchers() {}

  /** Alerts with this deduplication key, e.g. {@code breaker_open:payment_service}. */
  public static Predicate<Alert> key(String key) {
    Objects.requireNonNull(key, "key");
    return a -> a.key().equals(key);
  }

  /** Alerts about this service or breaker. */
  public static Predicate<Alert> source(String source) {
    Objects.requireNonNull(source, "source");
    return a -> a.source().equals(source);
  }

  /** Alerts raised by {@code kind}. */
  public static Predicate<Alert> kind(AlertKind kind) {
    Objects.requireNonNull(kind, "kind");
    return a -> a.kind() == kind;
  }

  /** Alerts of exactly {@code severity}. */
  public static Predicate<Alert> severity(Severity severity) {
    Objects.requireNonNull(severity, "severity");
    return a -> a.severity() == severity;
  }

  /** Firing alerts. */
  public static Predicate<Alert> firing() {
    return Alert::isFiring;
  }

  /** Resolved alerts. */
  public static Predicate<Alert> resolved() {
    return a -> !a.isFiring();
  }

  /** Any alert. */
  public static Predicate<Alert> any() {
    return a -> true;
  }
}
