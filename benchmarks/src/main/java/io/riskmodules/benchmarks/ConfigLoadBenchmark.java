package io.riskmodules.benchmarks;

import io.riskmodules.RiskModules;
import io.riskmodules.config.ConfigLoader;
import io.riskmodules.config.RiskConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading the RFC's files (examples/config, run from the project root): reading, parsing and
 * validating the three files, and that plus building the whole runtime (registry with the listed
 * breakers, collector, assessor, alert manager with the three channels, node group) and closing
 * it. Health checks and sampling are not started: they would measure the network and the clock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConfigLoadBenchmark {

  static final Map<String, String> ENV = Map.of(
      "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/benchmark",
      "PAGERDUTY_KEY", "benchmark-key");

  static Path[] files() {
    Path dir = Path.of(System.getProperty("riskmodules.config.dir", "examples/config"));
    return new Path[] {dir.resolve("circuit_breaker_config.yaml"), dir.resolve("deployment_config.yaml"),
        dir.resolve("alert_config.yaml")};
  }

  private final Path[] files = files();
  private final ConfigLoader loader = ConfigLoader.builder().environment(ENV).build();

  private RiskModules running;

  @org.openjdk.jmh.annotations.Setup
  public void start() {
    running = RiskModules.builder().files(files).environment(ENV).startBackgroundTasks(false)
        .startHealthChecks(false).build();
  }

  @org.openjdk.jmh.annotations.TearDown
  public void stop() {
    running.close();
  }

  /** A reload of unchanged files: three stats, nothing read, parsed or applied. */
  @Benchmark
  public Object reloadUnchanged() {
    return running.reload();
  }

  @Benchmark
  public RiskConfig loadAndValidate() {
    return loader.load(files);
  }

  @Benchmark
  public Object loadAndBuildRuntime() {
    try (RiskModules risk = RiskModules.builder().files(files).environment(ENV)
        .startBackgroundTasks(false).startHealthChecks(false).build()) {
      return risk.breaker("payment_service");
    }
  }
}
