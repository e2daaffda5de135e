package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

/** The breaker keys of issue 13's items 6 to 9, under their snake_case names, with their errors. */
class ParityKeysTest {

  private static BreakersConfig load(String yaml) {
    return Examples.loader().parse("b.yaml", yaml).breakers();
  }

  @Test
  void halfOpenProbeWindowReachesTheConfigAndDefaultsToTheSuccessThreshold() {
    BreakersConfig b = load("""
        circuit_breaker:
          default:
            success_threshold: 3
            half_open_probe_window: 5
          services:
            plain: {half_open_probe_window: 3}
        """);
    assertThat(b.defaults().halfOpenProbeWindow()).isEqualTo(5);
    assertThat(b.configFor("plain").halfOpenProbeWindow()).isEqualTo(3);
    assertThat(CircuitBreakerConfig.ofDefaults().halfOpenProbeWindow()).isEqualTo(3);
  }

  @Test
  void aProbeWindowSmallerThanTheThresholdIsRefusedWithItsPlace() {
    assertThatThrownBy(() -> load("""
        circuit_breaker:
          default:
            success_threshold: 4
            half_open_probe_window: 2
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("half_open_probe_window must be from success_threshold (4) to 10000, was 2");
    assertThatThrownBy(() -> load("circuit_breaker: {default: {half_open_probe_window: 0}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("circuit_breaker.default.half_open_probe_window: must be");
  }
}
