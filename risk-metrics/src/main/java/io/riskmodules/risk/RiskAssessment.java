package io.riskmodules.risk;

import java.util.List;

/**
 * A scored downstream, with the factors that make up the score.
 *
 * @param name the breaker
 * @param epochMillis when the assessed sample was taken
 * @param score from 0 to 100
 * @param level the level, after hysteresis
 * @param factors every factor, in the policy's order
 */
public record RiskAssessment(String name, long epochMillis, double score, RiskLevel level, List<RiskFactor> factors) {}
