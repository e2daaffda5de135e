package io.riskmodules.testing;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.Severity;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a {@link RecordingAlertSink} received; a failure lists every notification.
 *
 * <pre>{@code
 * assertThat(sink).hasFiring("breaker_open:payment_service", Severity.CRITICAL);
 * assertThat(sink).within(Duration.ofSeconds(2)).hasResolved("breaker_open:payment_service");
 * assertThat(sink).hasNoAlert(AlertMatchers.source("notification_service"));
 * }</pre>
 *
 * <p>Delivery is asynchronous, so the checks that expect something wait for it, up to {@link
 * #DEFAULT_WAIT} unless {@link #within} says otherwise, and return as soon as it is there. The
 * checks that expect nothing look once, at once.
 */
public class RecordingAlertSinkAssert extends AbstractAssert<RecordingAlertSinkAssert, RecordingAlertSink> {

  /** How long the checks that expect something wait for it by default. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  private Duration wait = DEFAULT_WAIT;

  /** Prefer {@link RiskAssertions#assertThat(RecordingAlertSink)}. */
  public RecordingAlertSinkAssert(RecordingAlertSink actual) {
    super(actual, RecordingAlertSinkAssert.class);
  }

  /** How long the following checks wait for what they expect. */
  public RecordingAlertSinkAssert within(Duration wait) {
    this.wait = Objects.requireNonNull(wait, "wait");
    return this;
  }

  private RecordingAlertSinkAssert fail(String expectation, Object... args) {
    Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = Describe.notifications(actual.notifications());
    failWithMessage("%nExpecting " + expectation + "%nbut %s", all);
    return this;
  }

  /** An alert matching {@code matcher} was received. */
  public RecordingAlertSinkAssert hasAlert(Predicate<? super Alert> matcher) {
    isNotNull();
    return actual.awaitOptional(matcher, wait).isPresent() ? this : fail("a matching alert within %s", wait);
  }

  /** No alert matching {@code matcher} has been received (checked once, now). */
  public RecordingAlertSinkAssert hasNoAlert(Predicate<? super Alert> matcher) {
    isNotNull();
    return actual.alerts(matcher).isEmpty() ? this : fail("no matching alert");
  }

  /** Nothing has been received (checked once, now). */
  public RecordingAlertSinkAssert hasNoNotification() {
    isNotNull();
    return actual.notifications().isEmpty() ? this : fail("no notification");
  }

  /** At least {@code n} notifications were received. */
  public RecordingAlertSinkAssert hasAtLeastNotifications(int n) {
    isNotNull();
    return actual.awaitCondition(() -> actual.notifications().size() >= n, wait) ? this
        : fail("at least %s notification(s) within %s", n, wait);
  }

  /** The last alert received with {@code key} is firing: the receiver believes it fires. */
  public RecordingAlertSinkAssert hasFiring(String key) {
    return hasLast(key, true, null);
  }

  /** As {@link #hasFiring(String)}, with {@code severity}. */
  public RecordingAlertSinkAssert hasFiring(String key, Severity severity) {
    return hasLast(key, true, severity);
  }

  /** The last alert received with {@code key} is resolved. */
  public RecordingAlertSinkAssert hasResolved(String key) {
    return hasLast(key, false, null);
  }

  private RecordingAlertSinkAssert hasLast(String key, boolean firing, Severity severity) {
    isNotNull();
    boolean ok = actual.awaitCondition(() -> {
      Optional<Alert> last = actual.lastUnlocked(key);
      return last.isPresent() && last.get().isFiring() == firing
          && (severity == null || last.get().severity() == severity);
    }, wait);
    return ok ? this : fail("the last alert with key %s to be %s%s within %s", key, firing ? "FIRING" : "RESOLVED",
        severity == null ? "" : " with severity " + severity.value(), wait);
  }
}
