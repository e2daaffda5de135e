package io.riskmodules.benchmarks;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.metrics.BreakerSample;
import io.riskmodules.metrics.MetricsCollector;
import io.riskmodules.risk.RiskAssessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One monitoring round: the collector samples 10,000 breakers (a 1 s interval, an hour kept) and,
 * when attached, the risk assessor scores every sample. {@code history} rounds are taken before
 * measuring (3,600: a full hour held), to show that a round does not cost more the more history is
 * kept. Between rounds (outside the measured time) each breaker makes {@code calls} calls of 1 to
 * 5 ms on a manual ticker, one in ten failing. Divide the time of a round by 10,000 for the cost
 * per breaker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class MonitoringRoundBenchmark {

  @Param("10000")
  int breakers;

  @Param({"0", "3600"})
  int history;

  @Param({"false", "true"})
  boolean assessor;

  @Param({"0", "10"})
  int calls;

  private final ManualTime time = new ManualTime();
  private CircuitBreaker[] all;
  private MetricsCollector collector;
  private final SplittableRandom random = new SplittableRandom(16);

  @Setup(Level.Trial)
  public void setUp() {
    CircuitBreakerRegistry registry =
        CircuitBreakerRegistry.builder().ticker(time::nanos).clock(time).eventExecutor(Runnable::run).build();
    all = new CircuitBreaker[breakers];
    for (int i = 0; i < breakers; i++) {
      all[i] = registry.breaker("downstream-" + i);
    }
    collector = MetricsCollector.builder(registry).clock(time).interval(Duration.ofSeconds(1))
        .retention(Duration.ofHours(1)).build();
    if (assessor) {
      RiskAssessor.ofDefaults().attach(collector);
    }
    for (int round = 0; round < history; round++) {
      callEach();
      collector.sampleNow();
    }
  }

  /** The traffic between two rounds, and the second that passes. */
  @Setup(Level.Invocation)
  public void callEach() {
    for (CircuitBreaker b : all) {
      for (int c = 0; c < calls; c++) {
        long nanos = random.nextLong(1_000_000, 5_000_000);
        boolean fails = random.nextInt(10) == 0;
        b.execute(() -> {
          time.advanceNanos(nanos);
          if (fails) {
            throw new IllegalStateException("down");
          }
          return 1;
        }, cause -> 0);
      }
    }
    time.advanceNanos(1_000_000_000L);
  }

  @Benchmark
  public List<BreakerSample> round() {
    return collector.sampleNow();
  }

  @TearDown
  public void tearDown() {
    collector.close();
  }

  /** A ticker and a wall clock that move together, only when told. */
  static final class ManualTime extends Clock {
    private long nanos;

    long nanos() {
      return nanos;
    }

    void advanceNanos(long n) {
      nanos += n;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return 1_700_000_000_000L + nanos / 1_000_000;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }
  }
}
