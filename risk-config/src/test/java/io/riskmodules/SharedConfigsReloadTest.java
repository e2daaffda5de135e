package io.riskmodules;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.config.ReloadEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared configs from YAML reach the registry, and a reload applies the settings of issue 13. */
class SharedConfigsReloadTest {

  @TempDir Path dir;

  @Test
  void sharedConfigsReachTheRegistryAndAReloadAppliesTheProbeWindowAndTheJitter() throws IOException {
    Path file = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(file, """
        circuit_breaker:
          configs:
            strict: {failure_threshold: 2}
          services:
            payment_service: {base_config: strict}
        """);
    try (RiskModules risk = RiskModules.builder().files(file).startBackgroundTasks(false).build()) {
      assertThat(risk.breaker("payment_service").config().failureThreshold()).isEqualTo(2);
      assertThat(risk.registry().configuration("strict")).hasValueSatisfying(c ->
          assertThat(c.failureThreshold()).isEqualTo(2));
      assertThat(risk.registry().breaker("search_service", "strict").config().failureThreshold()).isEqualTo(2);

      Files.writeString(file, """
          circuit_breaker:
            configs:
              strict: {failure_threshold: 2, half_open_probe_window: 5, open_timeout_jitter: 0.1}
            services:
              payment_service: {base_config: strict}
          """);
      ReloadEvent e = risk.reload();
      assertThat(e.outcome()).isEqualTo(ReloadEvent.Outcome.APPLIED);
      assertThat(risk.breaker("payment_service").config().halfOpenProbeWindow()).isEqualTo(5);
      assertThat(risk.breaker("payment_service").config().openTimeoutJitter()).isEqualTo(0.1);
      assertThat(risk.registry().find("search_service").orElseThrow().config().halfOpenProbeWindow()).isEqualTo(5);
    }
  }

  @Test
  void aReloadAppliesAChangedOpenTimeoutMultiplier() throws IOException {
    // a regression: reload compared configs by toString(), which left this key (and others
    // outside the RFC) out, so changing only it was never applied
    Path file = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(file, "circuit_breaker: {default: {open_timeout_multiplier: 1.0}}\n");
    try (RiskModules risk = RiskModules.builder().files(file).startBackgroundTasks(false).build()) {
      Files.writeString(file, "circuit_breaker: {default: {open_timeout_multiplier: 2.0}}\n");
      assertThat(risk.reload().outcome()).isEqualTo(ReloadEvent.Outcome.APPLIED);
      assertThat(risk.breaker("any").config().openTimeoutMultiplier()).isEqualTo(2.0);
    }
  }
}
