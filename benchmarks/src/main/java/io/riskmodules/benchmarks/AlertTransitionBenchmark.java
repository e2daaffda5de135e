package io.riskmodules.benchmarks;

import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Notification;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an alert manager adds to the thread that changes a breaker's state. One operation is two
 * transitions (an operator's trip, then reset), with the breaker's listeners run on the calling
 * thread (so the manager's listener runs there too: the worst case). {@code bare} has no manager;
 * {@code alerted} has one attached through its registry, whose listener only offers the
 * transition to the manager's inbox. The breaker allocates each transition event in both.
 *
 * <p>The manager's own thread keeps up (each transition of one breaker is deduplicated into one
 * alert); the tear-down prints how many events the inbox had to drop, which must be 0 for the
 * figure to be the cost of a successful enqueue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AlertTransitionBenchmark {

  private CircuitBreaker bare;
  private CircuitBreaker alerted;
  private AlertManager manager;

  @Setup(Level.Trial)
  public void setUp() {
    bare = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build().breaker("bare");
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build();
    manager = AlertManager.builder()
        .groupWait(Duration.ofSeconds(1))
        .sink(new AlertSink() {
          @Override
          public String name() {
            return "discard";
          }

          @Override
          public void deliver(Notification n) {}
        })
        .build();
    manager.attach(registry);
    alerted = registry.breaker("alerted");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close(Duration.ofSeconds(5));
    System.out.println("alert manager inbox drops: " + manager.inboxDropped());
  }

  @Benchmark
  public void bare() {
    bare.trip();
    bare.reset();
  }

  @Benchmark
  public void alerted() {
    alerted.trip();
    alerted.reset();
  }
}
