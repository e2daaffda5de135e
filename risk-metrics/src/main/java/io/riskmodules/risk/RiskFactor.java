package io.riskmodules.risk;

/**
 * One reason behind a risk score.
 *
 * @param name the factor, for example {@code failure_rate}
 * @param value what was measured
 * @param threshold the value at which the factor counts in full
 * @param weight the factor's share of the score, out of the policy's total weight
 * @param contribution points it adds to the score (0 to its share of 100)
 * @param reason one line for an on-call engineer
 */
public record RiskFactor(String name, double value, double threshold, double weight, double contribution, String reason) {}
