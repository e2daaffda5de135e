package io.riskmodules.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Threads;

/** A call that throws a preallocated exception, recorded as a failure by breakers that never trip. */
public abstract class FailurePathBenchmark extends ThrowingPathBenchmark {

  static final RuntimeException FAILURE = new IllegalStateException("downstream failed", null) {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  FailurePathBenchmark() {
    super(() -> {
      throw FAILURE;
    });
  }

  @Setup
  public void setUp() {
    riskModules = Contenders.riskModulesNeverTrips();
    resilience4j = Contenders.resilience4jNeverTrips();
    failsafe = Contenders.failsafe(Contenders.failsafeNeverTrips());
  }

  @Benchmark
  public Object direct() {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Threads(1)
  public static class OneThread extends FailurePathBenchmark {}

  @Threads(2)
  public static class TwoThreads extends FailurePathBenchmark {}
}
