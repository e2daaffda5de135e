package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

class CircuitBreakerConfigTest {

  @Test
  void defaultsAreTheRfcs() {
    CircuitBreakerConfig c = CircuitBreakerConfig.ofDefaults();
    assertThat(c.failureThreshold()).isEqualTo(5);
    assertThat(c.successThreshold()).isEqualTo(3);
    assertThat(c.openTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.halfOpenMaxCalls()).isEqualTo(3);
    assertThat(c.failureRateThreshold()).isEqualTo(0.5);
    assertThat(c.slowCallDurationThreshold()).isEqualTo(Duration.ofMillis(2000));
    assertThat(c.slowCallRateThreshold()).isEqualTo(0.8);
    assertThat(c.minimumNumberOfCalls()).isEqualTo(10);
    assertThat(c.slidingWindowType()).isEqualTo(SlidingWindowType.COUNT_BASED);
    assertThat(c.slidingWindowSize()).isEqualTo(100);
    assertThat(c.slowCallDetection()).isTrue();
    assertThat(c.writableStackTrace()).isFalse();
    assertThat(c.maxOpenTimeout()).isEqualTo(Duration.ofSeconds(300));
  }

  static Stream<Arguments> wrongValues() {
    return Stream.of(
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureThreshold(0),
            "failure_threshold must be at least 1, was 0"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.successThreshold(-2),
            "success_threshold must be at least 1, was -2"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.openTimeout(Duration.ZERO),
            "timeout_seconds must be at least 1 ms, was 0 ms"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.halfOpenMaxCalls(0),
            "half_open_max_calls must be from 1 to 1000, was 0"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureRateThreshold(1.5),
            "failure_rate_threshold must be in (0, 1], was 1.5"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureRateThreshold(0),
            "failure_rate_threshold must be in (0, 1], was 0.0"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.slowCallRateThreshold(Double.NaN),
            "slow_call_rate_threshold must be in (0, 1], was NaN"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.slowCallDurationThreshold(Duration.ZERO),
            "slow_call_duration_threshold must be at least 1 ms, was 0 ms"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.minimumNumberOfCalls(0),
            "minimum_number_of_calls must be at least 1, was 0"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.countBasedWindow(0),
            "sliding_window_size must be from 1 to 1000000 calls, was 0"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.timeBasedWindow(3601),
            "sliding_window_size must be from 1 to 3600 seconds, was 3601"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.openTimeoutMultiplier(0.5),
            "open_timeout_multiplier must be at least 1.0, was 0.5"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.maxOpenTimeout(Duration.ofSeconds(10)),
            "max_open_timeout_seconds must be at least timeout_seconds (PT30S), was PT10S"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.halfOpenProbeTimeout(Duration.ofNanos(10)),
            "half_open_probe_timeout_seconds must be at least 1 ms, was 0 ms"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.halfOpenProbeTimeout(ChronoUnit.FOREVER.getDuration()),
            "half_open_probe_timeout_seconds must be at most 365 days, was 106751991167300 days"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.openTimeout(Duration.ofDays(365L * 50)),
            "timeout_seconds must be at most 365 days, was 18250 days"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.maxOpenTimeout(Duration.ofDays(366)),
            "max_open_timeout_seconds must be at most 365 days, was 366 days"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.slowCallDurationThreshold(Duration.ofDays(365L * 300)),
            "slow_call_duration_threshold must be at most 365 days, was 109500 days"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.slowCallDurationThreshold(Duration.ofDays(-400)),
            "slow_call_duration_threshold must be at least 1 ms, was -400 days"),
        Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.slowCallDurationThreshold(Duration.ofDays(-365)),
            "slow_call_duration_threshold must be at least 1 ms, was -31536000000 ms"));
  }

  @ParameterizedTest
  @MethodSource("wrongValues")
  void buildNamesTheFieldTheValueAndTheRule(UnaryOperator<CircuitBreakerConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(CircuitBreakerConfig.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void theLongestOpenTimeoutsStillTripAndGrowWithoutOverflow() {
    ManualTime time = new ManualTime();
    CircuitBreaker b = Faults.breaker(time, CircuitBreakerConfig.builder().failureThreshold(1)
        .openTimeout(Duration.ofDays(365)).openTimeoutMultiplier(1000).build());
    for (int trip = 1; trip <= 3; trip++) {
      assertThatThrownBy(() -> b.execute(() -> {
        throw new Faults.Boom();
      })).isInstanceOf(Faults.Boom.class);
      assertThat(b.state()).isEqualTo(CircuitState.OPEN);
      assertThat(b.remainingOpenTime()).isPositive().isLessThanOrEqualTo(Duration.ofDays(365).multipliedBy(10));
      time.advance(Duration.ofDays(365).multipliedBy(10));
    }
  }

  @Test
  void toBuilderCopiesEveryValue() {
    CircuitBreakerConfig original = CircuitBreakerConfig.builder()
        .failureThreshold(3).successThreshold(5).openTimeout(Duration.ofSeconds(60)).timeBasedWindow(30)
        .ignoreExceptions(IllegalArgumentException.class).recordResult(r -> r == null).build();
    CircuitBreakerConfig copy = original.toBuilder().build();
    assertThat(copy).usingRecursiveComparison().isEqualTo(original);
    assertThat(original.toBuilder().openTimeout(Duration.ofMinutes(10)).build().maxOpenTimeout())
        .as("the default cap follows the open timeout").isEqualTo(Duration.ofMinutes(100));
  }

  @Test
  void configIsImmutable() {
    CircuitBreakerConfig c = CircuitBreakerConfig.builder().ignoreExceptions(IllegalStateException.class).build();
    assertThatThrownBy(() -> c.ignoreExceptions().add(RuntimeException.class))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aBlankBreakerNameIsRefused() {
    assertThatThrownBy(() -> CircuitBreaker.ofDefaults(" "))
        .hasMessage("circuit breaker name must not be blank");
  }
}
