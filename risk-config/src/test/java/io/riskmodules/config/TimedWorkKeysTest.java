package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitBreakerConfig;
import java.time.Duration;
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
  void callTimeoutInMillisecondsOrAsTextWithItsOptions() {
    CircuitBreakerConfig c = load("""
        circuit_breaker:
          default:
            call_timeout_ms: 2500
            interrupt_on_call_timeout: true
            cancel_on_call_timeout: true
        """).defaults();
    assertThat(c.callTimeout()).contains(Duration.ofMillis(2500));
    assertThat(c.interruptOnCallTimeout()).isTrue();
    assertThat(c.cancelOnCallTimeout()).isTrue();
    assertThat(load("circuit_breaker: {default: {call_timeout_ms: 3s}}").defaults().callTimeout())
        .contains(Duration.ofSeconds(3));
    CircuitBreakerConfig off = load("circuit_breaker: {default: {}}").defaults();
    assertThat(off.callTimeout()).isEmpty();
    assertThat(off.interruptOnCallTimeout()).isFalse();
    assertThat(off.cancelOnCallTimeout()).isFalse();
  }

  @Test
  void aServiceInheritsTheCallTimeoutKeyByKey() {
    BreakersConfig b = load("""
        circuit_breaker:
          default:
            call_timeout_ms: 1000
          services:
            a: {interrupt_on_call_timeout: true}
            b: {call_timeout_ms: 250}
        """);
    assertThat(b.configFor("a").callTimeout()).contains(Duration.ofSeconds(1));
    assertThat(b.configFor("a").interruptOnCallTimeout()).isTrue();
    assertThat(b.configFor("b").callTimeout()).contains(Duration.ofMillis(250));
  }

  @Test
  void aCallTimeoutOutOfRangeIsRefusedWithFileLineAndKey() {
    assertThatThrownBy(() -> load("""
        circuit_breaker:
          default:
            call_timeout_ms: 0
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("b.yaml:3:5 circuit_breaker.default.call_timeout_ms: must be greater than 0, was '0'");
    assertThatThrownBy(() -> load("circuit_breaker: {default: {call_timeout_ms: 400d}}"))
        .hasMessageContaining("call_timeout_ms: must be at most 365 days, was '400d'");
    assertThatThrownBy(() -> load("circuit_breaker: {default: {cancel_on_call_timeout: 1}}"))
        .hasMessageContaining("circuit_breaker.default.cancel_on_call_timeout:");
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
    assertThat(off.toBuilder().callTimeout(java.time.Duration.ofSeconds(1)).build().toString())
        .isNotEqualTo(off.toString());
    assertThat(off.toBuilder().callTimeout(java.time.Duration.ofSeconds(1)).interruptOnCallTimeout(true).build()
        .toString()).isNotEqualTo(off.toBuilder().callTimeout(java.time.Duration.ofSeconds(1)).build().toString());
  }
}
