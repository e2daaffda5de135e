package io.riskmodules.testing;

import io.riskmodules.alerts.Alert;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.risk.RiskAssessment;
import org.assertj.core.api.Assertions;

/**
 * The entry point of Risk Modules' AssertJ assertions. It extends AssertJ's {@link Assertions},
 * so one static import gives both:
 *
 * <pre>{@code
 * import static io.riskmodules.testing.RiskAssertions.assertThat;
 *
 * assertThat(breaker).isOpen().hasFailureRate(0.6).hasRejectedCalls(3);
 * assertThat(breaker.status()).hasEmptyWindow();
 * assertThat(assessment).hasLevel(RiskLevel.HIGH);
 * assertThat(sink).hasFiring("breaker_open:payment_service");
 * assertThat(List.of(1, 2)).hasSize(2);                // plain AssertJ still works
 * }</pre>
 */
public class RiskAssertions extends Assertions {

  /** Static use only; subclassable to add more, as AssertJ's own. */
  protected RiskAssertions() {}

  /** Assertions on a live breaker; each check takes a fresh status. */
  public static CircuitBreakerAssert assertThat(CircuitBreaker actual) {
    return new CircuitBreakerAssert(actual);
  }

  /** Assertions on a status snapshot. */
  public static CircuitBreakerStatusAssert assertThat(CircuitBreakerStatus actual) {
    return new CircuitBreakerStatusAssert(actual);
  }

  /** Assertions on a risk assessment. */
  public static RiskAssessmentAssert assertThat(RiskAssessment actual) {
    return new RiskAssessmentAssert(actual);
  }

  /** Assertions on what a recording sink received; the positive checks wait for asynchronous delivery. */
  public static RecordingAlertSinkAssert assertThat(RecordingAlertSink actual) {
    return new RecordingAlertSinkAssert(actual);
  }

  /** Assertions on one alert. */
  public static AlertAssert assertThat(Alert actual) {
    return new AlertAssert(actual);
  }
}
