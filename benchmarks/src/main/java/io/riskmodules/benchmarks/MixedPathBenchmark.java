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
 * One call in four fails (each thread: three successes, then a failure), through breakers with
 * count-based windows of 100 calls that such a mix never trips (25 % failures against a 50 %
 * threshold, at most two failures in a row with two threads). Every failure takes Risk Modules'
 * window lock, so this is its contended path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class MixedPathBenchmark {

  /** The breakers, shared by the threads. */
  @State(Scope.Benchmark)
  public static class Breakers {
    CircuitBreaker riskModules;
    io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
    FailsafeExecutor<Object> failsafe;

    @Setup
    public void setUp() {
      riskModules = Contenders.riskModules();
      resilience4j = Contenders.resilience4j();
      failsafe = Contenders.failsafe(Contenders.failsafeCountWindow());
    }
  }

  /** Each thread's own call, failing every fourth time. */
  @State(Scope.Thread)
  public static class Calls {
    int n;
    final Supplier<Integer> call = () -> {
      if ((++n & 3) == 0) {
        throw FailurePathBenchmark.FAILURE;
      }
      return 42;
    };
    final CheckedSupplier<Object> failsafeCall = call::get;
  }

  @Benchmark
  public Object riskModules(Breakers b, Calls c) {
    try {
      return b.riskModules.execute(c.call);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object resilience4j(Breakers b, Calls c) {
    try {
      return b.resilience4j.executeSupplier(c.call);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object failsafe(Breakers b, Calls c) {
    try {
      return b.failsafe.get(c.failsafeCall);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Threads(1)
  public static class OneThread extends MixedPathBenchmark {}

  @Threads(2)
  public static class TwoThreads extends MixedPathBenchmark {}
}
