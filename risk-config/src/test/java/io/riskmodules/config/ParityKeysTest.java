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

  @Test
  void openTimeoutJitterReachesTheConfigAndIsCheckedWhereItIsWritten() {
    assertThat(load("circuit_breaker: {default: {open_timeout_jitter: 0.25}}").defaults().openTimeoutJitter())
        .isEqualTo(0.25);
    assertThat(CircuitBreakerConfig.ofDefaults().openTimeoutJitter()).isZero();
    assertThatThrownBy(() -> load("""
        circuit_breaker:
          default:
            open_timeout_jitter: 1.5
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("b.yaml:3:5 circuit_breaker.default.open_timeout_jitter: must be in [0, 1), was 1.5");
  }

  @Test
  void aServiceNamesItsBaseConfigAndInheritsFromItKeyByKey() {
    BreakersConfig b = load("""
        circuit_breaker:
          default:
            minimum_number_of_calls: 40
          configs:
            strict:
              failure_threshold: 2
              timeout_seconds: 90
          services:
            payment_service:
              base_config: strict
              timeout_seconds: 120
            search_service:
        """);
    assertThat(b.shared()).containsOnlyKeys("strict");
    assertThat(b.shared().get("strict").minimumNumberOfCalls()).isEqualTo(40);
    CircuitBreakerConfig payments = b.configFor("payment_service");
    assertThat(payments.failureThreshold()).isEqualTo(2);
    assertThat(payments.openTimeout()).isEqualTo(java.time.Duration.ofSeconds(120));
    assertThat(payments.minimumNumberOfCalls()).isEqualTo(40);
    assertThat(b.configFor("search_service").failureThreshold()).isEqualTo(5);
  }

  @Test
  void anUnknownBaseConfigIsAnErrorNamingTheKnownOnes() {
    assertThatThrownBy(() -> load("""
        circuit_breaker:
          configs:
            strict: {failure_threshold: 2}
          services:
            payment_service: {base_config: stirct}
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("circuit_breaker.services.payment_service.base_config: no shared config 'stirct'"
            + " under circuit_breaker.configs; known: [strict]");
    assertThatThrownBy(() -> load("circuit_breaker: {default: {base_config: strict}}"))
        .hasMessageContaining("circuit_breaker.default.base_config: unknown key");
  }
}
