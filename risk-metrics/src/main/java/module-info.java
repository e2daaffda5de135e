/**
 * Risk Modules metrics: periodic breaker samples ({@link io.riskmodules.metrics.MetricsCollector}
 * into a bounded {@link io.riskmodules.metrics.MetricsStore}), latency percentiles, the risk
 * assessor ({@link io.riskmodules.risk.RiskAssessor}) and the Micrometer binder
 * ({@link io.riskmodules.metrics.micrometer.RiskModulesMeterBinder}). Every package is exported:
 * the module has no internal one.
 *
 * <p>A modular application writes {@code requires io.riskmodules.metrics;} and reads
 * {@code io.riskmodules.core} and {@code micrometer.core} through it (their types are in this
 * module's API). Nothing needs to be opened: the module reflects into no one's classes.
 * micrometer-core is an automatic module; it and the jars it needs at run time
 * (micrometer-commons, micrometer-observation, HdrHistogram) go on the module path.
 */
// micrometer.core is an automatic module (a name in its manifest, no descriptor): javac warns about requiring it.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.riskmodules.metrics {
  requires transitive io.riskmodules.core;  // CircuitBreakerRegistry, Subscription, ... in signatures
  requires transitive micrometer.core;      // RiskModulesMeterBinder is a MeterBinder
  requires org.slf4j;

  exports io.riskmodules.metrics;
  exports io.riskmodules.metrics.micrometer;
  exports io.riskmodules.risk;
}
