package io.riskmodules.benchmarks;

import io.riskmodules.RiskModules;
import java.util.Locale;

/**
 * The first load in a fresh JVM, the figure an application's start-up sees: class loading and
 * JIT warm-up included. Run from the project root:
 * {@code java -cp benchmarks/target/benchmarks.jar io.riskmodules.benchmarks.ConfigLoadTiming}.
 */
public final class ConfigLoadTiming {

  private ConfigLoadTiming() {}

  public static void main(String[] args) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu = mx.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    try (RiskModules risk = RiskModules.builder().files(ConfigLoadBenchmark.files())
        .environment(ConfigLoadBenchmark.ENV).startBackgroundTasks(false).startHealthChecks(false).build()) {
      long built = System.nanoTime();
      risk.breaker("payment_service");
      System.out.printf(Locale.ROOT, "first load and build of the RFC's files in a fresh JVM: %.1f ms"
          + " (%.1f ms of this thread's CPU)%n", (built - start) / 1e6, (mx.getCurrentThreadCpuTime() - cpu) / 1e6);
    }
    long again = System.nanoTime();
    try (RiskModules risk = RiskModules.builder().files(ConfigLoadBenchmark.files())
        .environment(ConfigLoadBenchmark.ENV).startBackgroundTasks(false).startHealthChecks(false).build()) {
      System.out.printf(Locale.ROOT, "second load and build: %.1f ms%n", (System.nanoTime() - again) / 1e6);
    }
  }
}
