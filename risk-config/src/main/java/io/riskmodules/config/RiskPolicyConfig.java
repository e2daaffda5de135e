package io.riskmodules.config;

import io.riskmodules.risk.RiskPolicy;
import java.time.Duration;

/**
 * One risk policy of {@code risk.default} or {@code risk.services.<name>} in {@code
 * alert_config.yaml}: the threshold at which each factor counts in full and its weight.
 * {@link #toPolicy()} builds the {@link RiskPolicy}.
 */
public record RiskPolicyConfig(
    double failureRateThreshold, double failureRateWeight,
    double slowCallRateThreshold, double slowCallRateWeight,
    double rejectionRateThreshold, double rejectionRateWeight,
    Duration p99Objective, double latencyWeight,
    double stateWeight,
    double trendThreshold, int trendSamples, double trendWeight) {

  /** The defaults of {@link RiskPolicy}. */
  public static RiskPolicyConfig ofDefaults() {
    return new RiskPolicyConfig(0.5, 35, 0.8, 15, 0.5, 15, Duration.ofMillis(1000), 15, 10, 0.2, 6, 10);
  }

  /** @throws IllegalArgumentException when every weight is 0 */
  public RiskPolicy toPolicy() {
    return RiskPolicy.builder()
        .failureRate(failureRateThreshold, failureRateWeight)
        .slowCallRate(slowCallRateThreshold, slowCallRateWeight)
        .rejectionRate(rejectionRateThreshold, rejectionRateWeight)
        .p99Objective(p99Objective, latencyWeight)
        .stateWeight(stateWeight)
        .trend(trendThreshold, trendSamples, trendWeight)
        .build();
  }
}
