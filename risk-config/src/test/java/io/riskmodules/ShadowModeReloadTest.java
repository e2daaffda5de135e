package io.riskmodules;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.config.ReloadEvent.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #13: {@code state: metrics_only} and the call timeout keys, applied by a reload by hand. */
class ShadowModeReloadTest {

  private static final String V1 = """
      circuit_breaker:
        services:
          payment_service:
            failure_threshold: 3
      """;

  @TempDir Path dir;
  private RiskModules risk;

  @AfterEach
  void stop() {
    if (risk != null) {
      risk.close();
    }
  }

  @Test
  void aGivenSchedulerRunsTheBreakersTimedWork() throws IOException {
    Path file = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(file, """
        circuit_breaker:
          default:
            automatic_transition_from_open_to_half_open: true
          services:
            payment_service:
        """);
    java.util.concurrent.ScheduledThreadPoolExecutor given = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
    try {
      risk = RiskModules.builder().files(file).startBackgroundTasks(false).eventExecutor(Runnable::run)
          .scheduler(given).build();
      int before = given.getQueue().size();
      risk.breaker("payment_service").transitionTo(CircuitState.OPEN);
      assertThat(given.getQueue()).as("the end of the open time, scheduled on the given scheduler")
          .hasSize(before + 1);
    } finally {
      given.shutdownNow();
    }
  }

  @Test
  void theFilePutsABreakerInShadowModeAndBackToAuto() throws IOException {
    Path file = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(file, V1);
    risk = RiskModules.builder().files(file).startBackgroundTasks(false).eventExecutor(Runnable::run).build();
    CircuitBreaker payments = risk.breaker("payment_service");
    Files.writeString(file, V1 + "      state: metrics_only\n      call_timeout_ms: 1500\n");
    assertThat(risk.reload().outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(payments.state()).isEqualTo(CircuitState.METRICS_ONLY);
    assertThat(payments.config().callTimeout()).contains(Duration.ofMillis(1500));
    Files.writeString(file, V1 + "      state: auto\n");
    assertThat(risk.reload().outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(payments.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(payments.config().callTimeout()).isEmpty();
  }
}
