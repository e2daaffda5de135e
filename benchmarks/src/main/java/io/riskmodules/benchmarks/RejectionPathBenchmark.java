package io.riskmodules.benchmarks;

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Threads;

/** A call refused by a breaker that an operator forced open; each library's rejection exception is caught. */
public abstract class RejectionPathBenchmark extends ThrowingPathBenchmark {

  RejectionPathBenchmark() {
    super(() -> 42);
  }

  @Setup
  public void setUp() {
    riskModules = Contenders.riskModules();
    riskModules.trip();
    resilience4j = Contenders.resilience4j();
    resilience4j.transitionToForcedOpenState();
    dev.failsafe.CircuitBreaker<Object> breaker = Contenders.failsafeBreaker();
    breaker.open();
    failsafe = Contenders.failsafe(breaker);
  }

  @Threads(1)
  public static class OneThread extends RejectionPathBenchmark {}

  @Threads(2)
  public static class TwoThreads extends RejectionPathBenchmark {}
}
