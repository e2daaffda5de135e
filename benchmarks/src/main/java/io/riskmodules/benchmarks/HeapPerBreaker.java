package io.riskmodules.benchmarks;

import dev.failsafe.Failsafe;
import io.riskmodules.breaker.CircuitBreaker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Retained heap per breaker: 10,000 breakers of each library with its default config, 200
 * successful calls on each, measured as used heap after full collections, with and without the
 * breakers held. Names are made before measuring, so their strings are not counted.
 */
public final class HeapPerBreaker {

  private static final int BREAKERS = 10_000;
  private static final int CALLS = 200;
  private static final Supplier<Integer> CALL = () -> 42;

  private HeapPerBreaker() {}

  public static void main(String[] args) throws InterruptedException {
    String[] names = new String[BREAKERS];
    for (int i = 0; i < BREAKERS; i++) {
      names[i] = "breaker-" + i;
    }
    // Warm every library once so that class metadata and shared defaults are not counted.
    CircuitBreaker.ofDefaults("warm").execute(CALL);
    io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("warm").executeSupplier(CALL);
    Failsafe.with(dev.failsafe.CircuitBreaker.ofDefaults()).get(CALL::get);

    System.out.println("| library | retained heap per breaker (bytes) |");
    System.out.println("|---|---|");
    report("Risk Modules", names, i -> {
      CircuitBreaker b = CircuitBreaker.ofDefaults(names[i]);
      for (int c = 0; c < CALLS; c++) {
        b.execute(CALL);
      }
      return b;
    });
    report("Resilience4j", names, i -> {
      io.github.resilience4j.circuitbreaker.CircuitBreaker b =
          io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults(names[i]);
      for (int c = 0; c < CALLS; c++) {
        b.executeSupplier(CALL);
      }
      return b;
    });
    report("Failsafe", names, i -> {
      dev.failsafe.CircuitBreaker<Object> b = dev.failsafe.CircuitBreaker.ofDefaults();
      for (int c = 0; c < CALLS; c++) {
        Failsafe.with(b).get(CALL::get);
      }
      return b;
    });
  }

  private static void report(String library, String[] names, IntFunction<Object> make) throws InterruptedException {
    Object[] held = new Object[BREAKERS];
    long before = usedAfterGc();
    for (int i = 0; i < BREAKERS; i++) {
      held[i] = make.apply(i);
    }
    long after = usedAfterGc();
    System.out.printf(Locale.ROOT, "| %s | %d |%n", library, (after - before) / BREAKERS);
    Reference.reachabilityFence(held);
    Reference.reachabilityFence(names);
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100); // a measuring program, not a test: let the collector settle
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
