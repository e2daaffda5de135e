package io.riskmodules.benchmarks;

import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Notification;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * The calling thread's share of a breaker transition with an alert manager attached, measured on
 * that thread alone: bytes it allocates (ThreadMXBean, exact whatever the load) and nanoseconds
 * per transition (the best of several rounds, which load can only make worse). Complements
 * {@link AlertTransitionBenchmark}, whose allocation figure also counts the manager thread's work.
 */
public final class AlertTransitionCost {

  private static final int OPS = 200_000;
  private static final int ROUNDS = 15;

  private AlertTransitionCost() {}

  public static void main(String[] args) {
    CircuitBreaker bare = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build().breaker("bare");
    CircuitBreaker listened = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build().breaker("listened");
    listened.onStateChange(t -> { });
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build();
    AlertManager manager = AlertManager.builder().groupWait(Duration.ofSeconds(1))
        .sink(new AlertSink() {
          @Override
          public String name() {
            return "discard";
          }

          @Override
          public void deliver(Notification n) {}
        }).build();
    manager.attach(registry);
    CircuitBreaker alerted = registry.breaker("alerted");

    // "alerted-first" measures the manager before the others, to see whether the order (the JIT's
    // profile of the listener call) changes the figures.
    boolean alertedFirst = args.length > 0 && args[0].equals("alerted-first");
    double[] alertedCost = alertedFirst ? measure(alerted) : null;
    double[] bareCost = measure(bare);
    double[] listenedCost = measure(listened);
    if (!alertedFirst) {
      alertedCost = measure(alerted);
    }
    manager.close(Duration.ofSeconds(5));
    System.out.println("| breaker | ns per transition (best of " + ROUNDS + ") | bytes per transition, calling thread |");
    System.out.println("|---|---|---|");
    System.out.printf(Locale.ROOT, "| no manager | %.0f | %.1f |%n", bareCost[0], bareCost[1]);
    System.out.printf(Locale.ROOT, "| an empty listener | %.0f | %.1f |%n", listenedCost[0], listenedCost[1]);
    System.out.printf(Locale.ROOT, "| manager attached | %.0f | %.1f |%n", alertedCost[0], alertedCost[1]);
    System.out.printf(Locale.ROOT, "added by the manager over an empty listener: %.0f ns, %.1f B; inbox drops: %d%n",
        alertedCost[0] - listenedCost[0], alertedCost[1] - listenedCost[1], manager.inboxDropped());
  }

  private static double[] measure(CircuitBreaker breaker) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    double bestNanos = Double.MAX_VALUE;
    double bytes = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long allocated = threads.getThreadAllocatedBytes(id);
      long start = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        breaker.trip();
        breaker.reset();
      }
      long elapsed = System.nanoTime() - start;
      bytes = (threads.getThreadAllocatedBytes(id) - allocated) / (2.0 * OPS);
      bestNanos = Math.min(bestNanos, elapsed / (2.0 * OPS));
    }
    return new double[] {bestNanos, bytes};
  }
}
