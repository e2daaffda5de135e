package io.riskmodules.testing;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.Severity;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one {@link Alert}.
 *
 * <pre>{@code
 * assertThat(sink.lastAlert("breaker_open:payment_service")).isFiring().hasSeverity(Severity.CRITICAL);
 * }</pre>
 */
public class AlertAssert extends AbstractAssert<AlertAssert, Alert> {

  /** Prefer {@link RiskAssertions#assertThat(Alert)}. */
  public AlertAssert(Alert actual) {
    super(actual, AlertAssert.class);
  }

  private AlertAssert check(boolean holds, String expectation, Object value) {
    if (!holds) {
      failWithMessage("%nExpecting alert with " + expectation + "%nbut it was:%n  %s", value, Describe.alert(actual));
    }
    return this;
  }

  /** It fires. */
  public AlertAssert isFiring() {
    isNotNull();
    return check(actual.isFiring(), "status %s", Alert.Status.FIRING);
  }

  /** It was resolved. */
  public AlertAssert isResolved() {
    isNotNull();
    return check(!actual.isFiring(), "status %s", Alert.Status.RESOLVED);
  }

  /** Its severity is {@code severity}. */
  public AlertAssert hasSeverity(Severity severity) {
    isNotNull();
    return check(actual.severity() == severity, "severity %s", severity);
  }

  /** It was raised by {@code kind}. */
  public AlertAssert hasKind(AlertKind kind) {
    isNotNull();
    return check(actual.kind() == kind, "kind %s", kind);
  }

  /** It is about {@code source} (a service or breaker name). */
  public AlertAssert hasSource(String source) {
    isNotNull();
    return check(actual.source().equals(source), "source %s", source);
  }

  /** Its deduplication key is {@code key}. */
  public AlertAssert hasKey(String key) {
    isNotNull();
    return check(actual.key().equals(key), "key %s", key);
  }

  /** It carries label {@code name} with {@code value}. */
  public AlertAssert hasLabel(String name, String value) {
    isNotNull();
    return check(value.equals(actual.labels().get(name)), "label %s", name + "=" + value);
  }
}
