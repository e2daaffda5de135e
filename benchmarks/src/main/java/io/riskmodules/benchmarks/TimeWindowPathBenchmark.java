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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * A call that succeeds, through breakers with a time-based window of 60 s (one shared breaker per
 * contender). Risk Modules had taken its window lock on every call here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class TimeWindowPathBenchmark {

  private final Supplier<Integer> call = () -> 42;
  private CircuitBreaker riskModules;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
  private FailsafeExecutor<Object> failsafe;
  private CheckedSupplier<Object> failsafeCall;

  @Setup
  public void setUp() {
    riskModules = Contenders.riskModulesTimeWindow();
    resilience4j = Contenders.resilience4jTimeWindow();
    failsafeCall = call::get;
    failsafe = Contenders.failsafe(Contenders.failsafeTimeWindow());
  }

  @Benchmark
  public Integer riskModules() {
    return riskModules.execute(call);
  }

  @Benchmark
  public Integer resilience4j() {
    return resilience4j.executeSupplier(call);
  }

  @Benchmark
  public Object failsafe() {
    return failsafe.get(failsafeCall);
  }

  @Threads(1)
  public static class OneThread extends TimeWindowPathBenchmark {}

  @Threads(2)
  public static class TwoThreads extends TimeWindowPathBenchmark {}
}
