/**
 * Risk Modules alerts: the {@link io.riskmodules.alerts.AlertManager} (rules, routing by
 * severity, grouping, resolve, retried asynchronous delivery) and its sinks in
 * {@code io.riskmodules.alerts.sink} (Slack, PagerDuty, e-mail, webhook, Prometheus Alertmanager,
 * log). Only these two packages are exported; {@code io.riskmodules.alerts.internal} is not API.
 *
 * <p>A modular application writes {@code requires io.riskmodules.alerts;} and reads risk-core,
 * risk-metrics and {@code micrometer.core} through it (their types are in this module's API).
 * Nothing needs to be opened: payloads are written with Jackson's tree model, which reflects into
 * no one's classes. The e-mail sink finds its SMTP transport through {@code jakarta.mail}'s
 * service loader: Angus Mail ({@code org.eclipse.angus.mail}) and Angus Activation must be on the
 * module path, where they provide it.
 */
// micrometer.core is an automatic module (a name in its manifest, no descriptor): javac warns about requiring it.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.riskmodules.alerts {
  requires transitive io.riskmodules.core;     // AlertManager.attach(CircuitBreakerRegistry), sinkBreakerConfig
  requires transitive io.riskmodules.metrics;  // AlertManager.attach(RiskAssessor), riskThreshold(RiskLevel)
  requires transitive micrometer.core;         // AlertManager.Builder.meterRegistry(MeterRegistry)
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires jakarta.mail;
  requires org.eclipse.angus.mail;             // SMTPSendFailedException: which recipients were refused
  requires java.net.http;
  requires org.slf4j;

  exports io.riskmodules.alerts;
  exports io.riskmodules.alerts.sink;
}
