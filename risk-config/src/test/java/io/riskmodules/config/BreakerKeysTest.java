package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.SlidingWindowType;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Every CircuitBreakerConfig setting under its snake_case key; durations in the RFC's units or as text. */
class BreakerKeysTest {

  private static BreakersConfig load(String yaml) {
    return Examples.loader().parse("b.yaml", yaml).breakers();
  }

  @Test
  void everyKeyReachesTheConfig() {
    CircuitBreakerConfig c = load("""
        circuit_breaker:
          default:
            failure_threshold: 7
            success_threshold: 4
            timeout_seconds: 45
            open_timeout_multiplier: 2.0
            max_open_timeout_seconds: 600
            half_open_max_calls: 5
            half_open_probe_timeout_seconds: 20
            failure_rate_threshold: 0.25
            slow_call_duration_threshold: 1500
            slow_call_rate_threshold: 0.9
            minimum_number_of_calls: 20
            sliding_window_type: time_based
            sliding_window_size: 60
            record_exceptions: [java.io.IOException, java.util.concurrent.TimeoutException]
            ignore_exceptions: [java.lang.IllegalArgumentException]
            writable_stack_trace: true
        """).defaults();
    assertThat(c.failureThreshold()).isEqualTo(7);
    assertThat(c.successThreshold()).isEqualTo(4);
    assertThat(c.openTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.openTimeoutMultiplier()).isEqualTo(2.0);
    assertThat(c.maxOpenTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.halfOpenMaxCalls()).isEqualTo(5);
    assertThat(c.halfOpenProbeTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.failureRateThreshold()).isEqualTo(0.25);
    assertThat(c.slowCallDurationThreshold()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.slowCallRateThreshold()).isEqualTo(0.9);
    assertThat(c.minimumNumberOfCalls()).isEqualTo(20);
    assertThat(c.slidingWindowType()).isEqualTo(SlidingWindowType.TIME_BASED);
    assertThat(c.slidingWindowSize()).isEqualTo(60);
    assertThat(c.recordExceptions()).containsExactly(IOException.class, TimeoutException.class);
    assertThat(c.ignoreExceptions()).containsExactly(IllegalArgumentException.class);
    assertThat(c.isIgnored(new IllegalArgumentException())).isTrue();
    assertThat(c.writableStackTrace()).isTrue();
  }

  @Test
  void durationsAsText() {
    CircuitBreakerConfig c = load("""
        circuit_breaker:
          default:
            timeout_seconds: 2m
            slow_call_duration_threshold: 500ms
            half_open_probe_timeout_seconds: 1m30s
            max_open_timeout_seconds: "1h"
        """).defaults();
    assertThat(c.openTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.slowCallDurationThreshold()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.halfOpenProbeTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.maxOpenTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(load("circuit_breaker: {default: {timeout_seconds: 0.5}}").defaults().openTimeout())
        .isEqualTo(Duration.ofMillis(500));
    assertThat(load("circuit_breaker: {default: {timeout_seconds: 30s}}").defaults().openTimeout())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void zeroNegativeAndHugeDurationsAreRefused() {
    assertThatThrownBy(() -> load("""
        circuit_breaker:
          default:
            timeout_seconds: 0
            slow_call_duration_threshold: 0ms
            half_open_probe_timeout_seconds: 400d
            max_open_timeout_seconds: 5 minutes
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("b.yaml:3:5 circuit_breaker.default.timeout_seconds: must be greater than 0, was '0'")
        .hasMessageContaining("b.yaml:4:5 circuit_breaker.default.slow_call_duration_threshold: must be greater than"
            + " 0, was '0ms'")
        .hasMessageContaining("b.yaml:5:5 circuit_breaker.default.half_open_probe_timeout_seconds: must be at most"
            + " 365 days, was '400d'")
        .hasMessageContaining("b.yaml:6:5 circuit_breaker.default.max_open_timeout_seconds: must be a duration");
  }

  @Test
  void slowCallDetectionCanBeSwitchedOff() {
    assertThat(load("circuit_breaker: {default: {slow_call_detection: false}}").defaults().slowCallDetection())
        .isFalse();
  }

  @Test
  void aServiceInheritsFromDefaultKeyByKey() {
    BreakersConfig b = load("""
        circuit_breaker:
          default:
            failure_threshold: 8
            minimum_number_of_calls: 40
            ignore_exceptions: [java.lang.IllegalStateException]
          services:
            a:
              failure_threshold: 2
            b:
              ignore_exceptions: [java.lang.IllegalArgumentException]
            c:
        """);
    assertThat(b.configFor("a").failureThreshold()).isEqualTo(2);
    assertThat(b.configFor("a").minimumNumberOfCalls()).isEqualTo(40);
    assertThat(b.configFor("a").ignoreExceptions()).containsExactly(IllegalStateException.class);
    // a list given by the service replaces the default's
    assertThat(b.configFor("b").ignoreExceptions()).containsExactly(IllegalArgumentException.class);
    assertThat(b.configFor("c").failureThreshold()).isEqualTo(8);
    assertThat(b.services()).containsKeys("a", "b", "c");
  }

  @Test
  void anUnknownExceptionClassIsAnError() {
    assertThatThrownBy(() -> load("""
        circuit_breaker:
          default:
            record_exceptions: [java.io.IOExceptoin, java.lang.String]
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("b.yaml:3:25 circuit_breaker.default.record_exceptions[0]: no exception class"
            + " 'java.io.IOExceptoin' on the class path")
        .hasMessageContaining("b.yaml:3:46 circuit_breaker.default.record_exceptions[1]: 'java.lang.String' is not"
            + " an exception type");
  }

  @Test
  void operatorStateOverride() {
    BreakersConfig b = load("""
        circuit_breaker:
          services:
            a: {state: forced_open}
            b: {state: disabled}
            c: {state: auto}
        """);
    assertThat(b.stateOf("a")).isEqualTo(ServiceState.FORCED_OPEN);
    assertThat(b.stateOf("b")).isEqualTo(ServiceState.DISABLED);
    assertThat(b.stateOf("c")).isEqualTo(ServiceState.AUTO);
    assertThatThrownBy(() -> load("circuit_breaker: {services: {a: {state: forced-open}}}"))
        .hasMessageContaining("circuit_breaker.services.a.state: must be one of auto, forced_open, disabled, metrics_only, was"
            + " 'forced-open' (did you mean 'forced_open'?)");
    assertThatThrownBy(() -> load("circuit_breaker: {default: {state: disabled}}"))
        .hasMessageContaining("circuit_breaker.default.state: unknown key");
  }

  @Test
  void ratesOutsideZeroToOne() {
    assertThatThrownBy(() -> load("circuit_breaker: {default: {failure_rate_threshold: 0, slow_call_rate_threshold: 1.01}}"))
        .hasMessageContaining("failure_rate_threshold: must be in (0, 1], was 0.0")
        .hasMessageContaining("slow_call_rate_threshold: must be in (0, 1], was 1.01");
    assertThat(load("circuit_breaker: {default: {failure_rate_threshold: 1}}").defaults().failureRateThreshold())
        .isEqualTo(1.0);
  }
}
