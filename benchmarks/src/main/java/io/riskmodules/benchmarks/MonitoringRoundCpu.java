package io.riskmodules.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The monitoring round of {@link MonitoringRoundBenchmark}, timed in CPU time of the sampling
 * thread rather than wall time: on a shared machine wall time mostly measures the wait for a core.
 * Prints microseconds per breaker per round (the median of the measured rounds), for quiet
 * breakers with no history and with a full hour of it, with and without the assessor, and for
 * busy ones (10 calls each between rounds).
 */
public final class MonitoringRoundCpu {

  private MonitoringRoundCpu() {}

  public static void main(String[] args) {
    System.out.println("| breakers | calls per round | history held | assessor | CPU per breaker per round |");
    System.out.println("|---|---|---|---|---|");
    for (int history : new int[] {0, 3600}) {
      for (boolean assessor : new boolean[] {false, true}) {
        run(0, history, assessor, 60);
      }
    }
    for (boolean assessor : new boolean[] {false, true}) {
      run(10, 0, assessor, 60);
    }
  }

  private static void run(int calls, int history, boolean assessor, int rounds) {
    MonitoringRoundBenchmark b = new MonitoringRoundBenchmark();
    b.breakers = 10_000;
    b.history = history;
    b.assessor = assessor;
    b.calls = calls;
    b.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[rounds];
    for (int warm = 0; warm < 20; warm++) {
      b.callEach();
      b.round();
    }
    for (int r = 0; r < rounds; r++) {
      b.callEach();
      long start = threads.getCurrentThreadCpuTime();
      b.round();
      cpu[r] = threads.getCurrentThreadCpuTime() - start;
    }
    b.tearDown();
    java.util.Arrays.sort(cpu);
    System.out.printf(Locale.ROOT, "| %d | %d | %s | %s | %.2f µs |%n", b.breakers, calls,
        history == 0 ? "none" : history + " samples", assessor ? "attached" : "none", cpu[rounds / 2] / 1e3 / b.breakers);
  }
}
