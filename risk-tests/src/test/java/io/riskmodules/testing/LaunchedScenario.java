package io.riskmodules.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a scenario class only when a test launches it with {@link #PARAMETER}: such classes show
 * what a user's test class does (pass or fail), and are not tests of their own.
 */
final class LaunchedScenario implements ExecutionCondition {

  static final String PARAMETER = "risk.tests.launched-scenario";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return context.getConfigurationParameter(PARAMETER).map(Boolean::parseBoolean).orElse(false)
        ? ConditionEvaluationResult.enabled("launched by a test")
        : ConditionEvaluationResult.disabled("a scenario, run only by the test that launches it");
  }
}
