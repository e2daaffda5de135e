package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

/** Issue #13 items 1-3 in YAML: call timeout, automatic OPEN -> HALF_OPEN, shadow mode. */
class TimedWorkKeysTest {

  private static BreakersConfig load(String yaml) {
    return Examples.loader().parse("b.yaml", yaml).breakers();
  }

  @Test
  void automaticTransitionIsOffUnlessSaidAndInheritedByServices() {
    assertThat(load("circuit_breaker: {default: {}}").defaults().automaticTransitionFromOpenToHalfOpen()).isFalse();
    BreakersConfig b = load("""
        circuit_breaker:
          default:
            automatic_transition_from_open_to_half_open: true
          services:
            a:
            b: {automatic_transition_from_open_to_half_open: false}
        """);
    assertThat(b.defaults().automaticTransitionFromOpenToHalfOpen()).isTrue();
    assertThat(b.configFor("a").automaticTransitionFromOpenToHalfOpen()).isTrue();
    assertThat(b.configFor("b").automaticTransitionFromOpenToHalfOpen()).isFalse();
  }

  @Test
  void automaticTransitionMustBeABoolean() {
    assertThatThrownBy(() -> load("circuit_breaker: {default: {automatic_transition_from_open_to_half_open: sometimes}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("circuit_breaker.default.automatic_transition_from_open_to_half_open:");
  }

  @Test
  void metricsOnlyIsAStateOverride() {
    assertThat(load("circuit_breaker: {services: {a: {state: metrics_only}}}").stateOf("a"))
        .isEqualTo(ServiceState.METRICS_ONLY);
  }

  @Test
  void aReloadSeesAChangeOfTheNewKeys() {
    CircuitBreakerConfig off = CircuitBreakerConfig.ofDefaults();
    CircuitBreakerConfig on = off.toBuilder().automaticTransitionFromOpenToHalfOpen(true).build();
    assertThat(on.toString()).isNotEqualTo(off.toString());
  }
}
