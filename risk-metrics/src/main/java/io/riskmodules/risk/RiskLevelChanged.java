package io.riskmodules.risk;

/**
 * A downstream's risk level changed: the event the alert manager listens to.
 *
 * @param name the breaker
 * @param from the level before
 * @param to the level now
 * @param assessment the assessment that changed it
 */
public record RiskLevelChanged(String name, RiskLevel from, RiskLevel to, RiskAssessment assessment) {}
