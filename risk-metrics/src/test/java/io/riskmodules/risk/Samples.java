package io.riskmodules.risk;

import io.riskmodules.breaker.CircuitState;
import io.riskmodules.metrics.BreakerSample;

/** Samples with only what the risk formula reads. */
final class Samples {
  private Samples() {}

  static BreakerSample sample(String name, CircuitState state, double failureRate, double slowRate, double rejectionRate,
      double p99Millis) {
    return sample(name, 0, state, failureRate, slowRate, rejectionRate, p99Millis);
  }

  static BreakerSample sample(String name, long millis, CircuitState state, double failureRate, double slowRate,
      double rejectionRate, double p99Millis) {
    return new BreakerSample(name, millis, state, 1000, 0, 0, 0, 100, (long) (rejectionRate * 100), failureRate, slowRate,
        rejectionRate, p99Millis / 2, p99Millis * 0.9, p99Millis, p99Millis * 1.5, 10);
  }
}
