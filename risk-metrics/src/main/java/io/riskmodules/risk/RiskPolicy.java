package io.riskmodules.risk;

import java.util.Objects;

/**
 * Thresholds and weights of the risk factors for one service. A factor counts in proportion to
 * its value up to its threshold, and in full at or beyond it.
 *
 * <pre>{@code
 * RiskPolicy payments = RiskPolicy.builder().p99Objective(Duration.ofMillis(300)).failureRateWeight(50).build();
 * }</pre>
 *
 * <p>Defaults (weights add up to 100): failure rate 35 at 0.5; slow-call rate 15 at 0.8;
 * rejection rate 15 at 0.5; p99 latency 15 at a 1000 ms objective; breaker state 10 (OPEN 1,
 * HALF_OPEN 0.5); trend 10 at a failure-rate rise of 0.2 over the last 6 samples. Immutable.
 */
public final class RiskPolicy {

  private static final RiskPolicy DEFAULTS = builder().build();

  final double failureRateThreshold;
  final double failureRateWeight;
  final double slowCallRateThreshold;
  final double slowCallRateWeight;
  final double rejectionRateThreshold;
  final double rejectionRateWeight;
  final double p99ObjectiveMillis;
  final double latencyWeight;
  final double stateWeight;
  final double trendThreshold;
  final double trendWeight;
  final int trendSamples;

  private RiskPolicy(Builder b) {
    failureRateThreshold = b.failureRateThreshold;
    failureRateWeight = b.failureRateWeight;
    slowCallRateThreshold = b.slowCallRateThreshold;
    slowCallRateWeight = b.slowCallRateWeight;
    rejectionRateThreshold = b.rejectionRateThreshold;
    rejectionRateWeight = b.rejectionRateWeight;
    p99ObjectiveMillis = b.p99ObjectiveMillis;
    latencyWeight = b.latencyWeight;
    stateWeight = b.stateWeight;
    trendThreshold = b.trendThreshold;
    trendWeight = b.trendWeight;
    trendSamples = b.trendSamples;
  }

  /** The documented defaults. */
  public static RiskPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  double totalWeight() {
    return failureRateWeight + slowCallRateWeight + rejectionRateWeight + latencyWeight + stateWeight + trendWeight;
  }

  /** Builds a {@link RiskPolicy}; thresholds must be positive, weights at least 0 and not all 0. */
  public static final class Builder {
    private double failureRateThreshold = 0.5;
    private double failureRateWeight = 35;
    private double slowCallRateThreshold = 0.8;
    private double slowCallRateWeight = 15;
    private double rejectionRateThreshold = 0.5;
    private double rejectionRateWeight = 15;
    private double p99ObjectiveMillis = 1000;
    private double latencyWeight = 15;
    private double stateWeight = 10;
    private double trendThreshold = 0.2;
    private double trendWeight = 10;
    private int trendSamples = 6;

    Builder() {}

    public Builder failureRate(double threshold, double weight) {
      this.failureRateThreshold = threshold;
      this.failureRateWeight = weight;
      return this;
    }

    public Builder slowCallRate(double threshold, double weight) {
      this.slowCallRateThreshold = threshold;
      this.slowCallRateWeight = weight;
      return this;
    }

    public Builder rejectionRate(double threshold, double weight) {
      this.rejectionRateThreshold = threshold;
      this.rejectionRateWeight = weight;
      return this;
    }

    /** The service's p99 latency objective and the factor's weight. */
    public Builder p99Objective(java.time.Duration objective, double weight) {
      this.p99ObjectiveMillis = Objects.requireNonNull(objective, "objective").toNanos() / 1e6;
      this.latencyWeight = weight;
      return this;
    }

    public Builder stateWeight(double weight) {
      this.stateWeight = weight;
      return this;
    }

    /** A rise of the failure rate by {@code threshold} over the last {@code samples} samples counts in full. */
    public Builder trend(double threshold, int samples, double weight) {
      this.trendThreshold = threshold;
      this.trendSamples = samples;
      this.trendWeight = weight;
      return this;
    }

    /** @throws IllegalArgumentException naming the wrong field, its value and the rule */
    public RiskPolicy build() {
      positive("failure_rate.threshold", failureRateThreshold);
      positive("slow_call_rate.threshold", slowCallRateThreshold);
      positive("rejection_rate.threshold", rejectionRateThreshold);
      positive("p99_objective_ms", p99ObjectiveMillis);
      positive("trend.threshold", trendThreshold);
      weight("failure_rate.weight", failureRateWeight);
      weight("slow_call_rate.weight", slowCallRateWeight);
      weight("rejection_rate.weight", rejectionRateWeight);
      weight("latency.weight", latencyWeight);
      weight("state.weight", stateWeight);
      weight("trend.weight", trendWeight);
      if (trendSamples < 2) {
        throw new IllegalArgumentException("trend.samples must be at least 2, was " + trendSamples);
      }
      RiskPolicy policy = new RiskPolicy(this);
      if (policy.totalWeight() <= 0) {
        throw new IllegalArgumentException("weights must not all be 0");
      }
      return policy;
    }

    private static void positive(String key, double value) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(key + " must be greater than 0, was " + value);
      }
    }

    private static void weight(String key, double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(key + " must be at least 0, was " + value);
      }
    }
  }
}
