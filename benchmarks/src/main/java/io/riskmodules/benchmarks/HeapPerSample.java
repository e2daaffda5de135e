package io.riskmodules.benchmarks;

import io.riskmodules.breaker.CircuitState;
import io.riskmodules.metrics.BreakerSample;
import io.riskmodules.metrics.MetricsCollector;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * Retained heap per stored sample: 10,000 breakers sampled every second for an hour (3,601 samples
 * each, the collector's cap), measured as used heap after full collections before and after the
 * samples were taken, divided by the samples kept. Beside it, one {@link BreakerSample} object
 * (what the store held per sample before it kept columns).
 */
public final class HeapPerSample {

  private HeapPerSample() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("| what | retained heap per sample (bytes) |");
    System.out.println("|---|---|");
    int n = 1_000_000;
    Object[] held = new Object[n];
    long objectsBefore = usedAfterGc();
    for (int i = 0; i < n; i++) {
      held[i] = new BreakerSample("a", i, CircuitState.CLOSED, i, i, i, i, i, i, 0.1 * i, 0.2, 0.3, 1, 2, 3, 4, 5, i,
          10, 1000);
    }
    long objectsAfter = usedAfterGc();
    Reference.reachabilityFence(held);
    System.out.printf(Locale.ROOT, "| one BreakerSample object (plus its reference) | %.1f |%n",
        (objectsAfter - objectsBefore) / (double) n);
    held = null;

    MonitoringRoundBenchmark b = new MonitoringRoundBenchmark();
    b.breakers = 10_000;
    b.history = 0;
    b.assessor = false;
    b.calls = 0;
    b.setUp();
    b.callEach();
    b.round();
    long before = usedAfterGc();
    int rounds = 3_600;
    for (int r = 0; r < rounds; r++) {
      b.callEach();
      b.round();
    }
    long after = usedAfterGc();
    long samples = (long) rounds * b.breakers;
    System.out.printf(Locale.ROOT, "| MetricsStore, %d breakers x %d samples | %.1f |%n", b.breakers, rounds + 1,
        (after - before) / (double) samples);
    Reference.reachabilityFence(b);
    b.tearDown();
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100); // a measuring program, not a test: let the collector settle
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
