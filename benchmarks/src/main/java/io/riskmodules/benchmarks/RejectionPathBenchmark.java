package io.riskmodules.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.riskmodules.breaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** A call refused by a breaker that an operator forced open; each library's rejection exception is caught. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class RejectionPathBenchmark {

  private final Supplier<Integer> call = () -> 42;
  private CircuitBreaker riskModules;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
  private FailsafeExecutor<Object> failsafe;
  /** Made once, so that Failsafe's path is not charged for a method reference per call. */
  private CheckedSupplier<Object> failsafeCall;

  @Setup
  public void setUp() {
    riskModules = Contenders.riskModules();
    riskModules.trip();
    resilience4j = Contenders.resilience4j();
    resilience4j.transitionToForcedOpenState();
    dev.failsafe.CircuitBreaker<Object> breaker = Contenders.failsafeBreaker();
    breaker.open();
    failsafeCall = call::get;
    failsafe = Contenders.failsafe(breaker);
  }

  @Benchmark
  public Object riskModules() {
    try {
      return riskModules.execute(call);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object resilience4j() {
    try {
      return resilience4j.executeSupplier(call);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object failsafe() {
    try {
      return failsafe.get(failsafeCall);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Threads(1)
  public static class OneThread extends RejectionPathBenchmark {}

  @Threads(2)
  public static class TwoThreads extends RejectionPathBenchmark {}
}
