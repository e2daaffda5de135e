package io.riskmodules.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.riskmodules.breaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A path on which each library throws (the call's failure, or its own rejection): the same call
 * through each, the exception caught and returned. Subclasses set the breakers up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
abstract class ThrowingPathBenchmark {

  final Supplier<Integer> call;
  CircuitBreaker riskModules;
  io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
  FailsafeExecutor<Object> failsafe;
  /** Made once, so that Failsafe's path is not charged for a method reference per call. */
  final CheckedSupplier<Object> failsafeCall;

  ThrowingPathBenchmark(Supplier<Integer> call) {
    this.call = call;
    this.failsafeCall = call::get;
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
}
