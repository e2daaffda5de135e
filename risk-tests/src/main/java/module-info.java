/**
 * Risk Modules testing: what a user puts in test scope. {@link io.riskmodules.testing.ManualClock},
 * {@link io.riskmodules.testing.SimulatedService}, {@link io.riskmodules.testing.RecordingAlertSink},
 * AssertJ assertions ({@link io.riskmodules.testing.RiskAssertions}) and a JUnit 5 extension
 * ({@link io.riskmodules.testing.RiskModulesExtension}). One package, exported.
 *
 * <p>A modular test writes {@code requires io.riskmodules.testing;} and reads the four other Risk
 * Modules, {@code org.junit.jupiter.api} and {@code org.assertj.core} through it (their types are
 * in this module's API). Nothing needs to be opened to this module: the extension reads
 * {@link io.riskmodules.testing.RiskModulesConfig} and parameter types, which needs no access. A
 * {@code @RiskModulesConfig} resource is found with the test class's loader; if the tests run
 * inside a named module, a resource in a folder that is one of its packages is encapsulated: keep
 * the YAML in a folder that is no package (such as {@code risk/}), or open that package.
 */
module io.riskmodules.testing {
  requires transitive io.riskmodules.core;     // CircuitBreakerAssert, ManualClock is a Ticker
  requires transitive io.riskmodules.metrics;  // RiskAssessmentAssert
  requires transitive io.riskmodules.alerts;   // RecordingAlertSink is an AlertSink, AlertAssert
  requires transitive io.riskmodules.config;   // the extension resolves RiskModules
  requires transitive org.junit.jupiter.api;   // RiskModulesExtension is a ParameterResolver
  requires transitive org.assertj.core;        // RiskAssertions extends Assertions

  exports io.riskmodules.testing;
}
