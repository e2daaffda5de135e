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

/** A call that succeeds, through each breaker (one shared breaker per contender). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class SuccessPathBenchmark {

  private final Supplier<Integer> call = () -> 42;
  private CircuitBreaker riskModules;
  private CircuitBreaker riskModulesNoClock;
  private CircuitBreaker riskModulesCallTimeout;
  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
  private FailsafeExecutor<Object> failsafe;
  /** Made once, so that Failsafe's path is not charged for a method reference per call. */
  private CheckedSupplier<Object> failsafeCall;

  @Setup
  public void setUp() {
    riskModules = Contenders.riskModules();
    riskModulesNoClock = Contenders.riskModulesNoClock();
    riskModulesCallTimeout = Contenders.riskModulesCallTimeout();
    resilience4j = Contenders.resilience4j();
    failsafeCall = call::get;
    failsafe = Contenders.failsafe(Contenders.failsafeBreaker());
  }

  @Benchmark
  public Integer direct() {
    return call.get();
  }

  @Benchmark
  public Integer riskModules() {
    return riskModules.execute(call);
  }

  @Benchmark
  public Integer riskModulesNoClock() {
    return riskModulesNoClock.execute(call);
  }

  /** The cost of a call timeout: the same path, each call's deadline watched (one allocation a call). */
  @Benchmark
  public Integer riskModulesCallTimeout() {
    return riskModulesCallTimeout.execute(call);
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
  public static class OneThread extends SuccessPathBenchmark {}

  @Threads(2)
  public static class TwoThreads extends SuccessPathBenchmark {}
}
