package io.riskmodules.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the YAML files of the {@code RiskModules} that {@link RiskModulesExtension} gives a test,
 * on the test's {@link ManualClock}. On a test method it replaces the one on its class.
 *
 * <pre>{@code
 * @ExtendWith(RiskModulesExtension.class)
 * @RiskModulesConfig("risk/circuit_breaker_config.yaml")      // a resource on the test class path
 * class CheckoutTest {
 *   @Test
 *   void paymentsTripAfterThreeFailures(RiskModules risk, ManualClock clock, RecordingAlertSink alerts) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RiskModulesConfig {

  /** Class-path resources (the test's resources), e.g. {@code risk/circuit_breaker_config.yaml}. */
  String[] value() default {};

  /**
   * Files on disk, relative to the working directory (the module's directory under Maven), e.g.
   * {@code ../examples/config/deployment_config.yaml}; loaded after the resources.
   */
  String[] files() default {};

  /** {@code ${VAR}} values as {@code NAME=value}; nothing else is looked up (not the process environment). */
  String[] env() default {};

  /**
   * Whether the files' own {@code alerts.channels} (Slack, PagerDuty, e-mail, webhook) are kept.
   * Off by default: a test must not page anyone, and alerts reach the test's {@link
   * RecordingAlertSink} either way. When off, the files are loaded from copies in which every
   * channel says {@code enabled: false}.
   */
  boolean alertChannels() default false;

  /** Whether the deployment file's health checks run (on the manual clock); default true. */
  boolean healthChecks() default true;
}
