/**
 * Risk Modules config: loads the RFC's YAML files ({@link io.riskmodules.config.ConfigLoader}, with
 * file, line and key path in every {@link io.riskmodules.config.ConfigException}) and builds the
 * whole runtime from them ({@link io.riskmodules.RiskModules}). Only {@code io.riskmodules} and
 * {@code io.riskmodules.config} are exported; {@code io.riskmodules.config.internal} is not API.
 *
 * <p>A modular application writes {@code requires io.riskmodules.config;} and reads risk-core,
 * risk-metrics, risk-alerts, {@code micrometer.core} and {@code java.net.http} through it (their
 * types are in this module's API). Nothing needs to be opened: the YAML is read into SnakeYAML's
 * node tree and bound by hand, without reflection. Exception types named in
 * {@code record_exceptions}/{@code ignore_exceptions} are loaded by name with this module's class
 * loader (no access to their package is needed), so they must be visible to it: on the module
 * path of the boot layer, any module's classes are.
 */
// micrometer.core is an automatic module (a name in its manifest, no descriptor): javac warns about requiring it.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.riskmodules.config {
  requires transitive io.riskmodules.core;     // RiskModules.breaker(String), registry(), nodeGroup()
  requires transitive io.riskmodules.metrics;  // RiskModules.metrics(), riskAssessor()
  requires transitive io.riskmodules.alerts;   // RiskModules.alertManager(), Builder.alertSink(AlertSink, Severity...)
  requires transitive micrometer.core;         // RiskModules.Builder.meterRegistry(MeterRegistry)
  requires transitive java.net.http;           // RiskModules.Builder.httpClient(HttpClient)
  requires org.yaml.snakeyaml;
  requires org.slf4j;

  exports io.riskmodules;
  exports io.riskmodules.config;
}
