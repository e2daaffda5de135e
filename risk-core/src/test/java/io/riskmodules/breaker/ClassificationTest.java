package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ClassificationTest {
  private final ManualTime time = new ManualTime();

  private static void attempt(CircuitBreaker b, RuntimeException e) {
    try {
      b.execute(() -> {
        throw e;
      });
    } catch (RuntimeException expected) {
      assertThat(expected).isSameAs(e);
    }
  }

  @Test
  void ignoredTypesAreNeitherSuccessNorFailure() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().ignoreExceptions(IllegalArgumentException.class).build());
    attempt(b, new NumberFormatException("a subtype"));
    CircuitBreakerStatus s = b.status();
    assertThat(s.ignoredCalls()).isEqualTo(1);
    assertThat(s.failedCalls()).isZero();
    assertThat(s.successfulCalls()).isZero();
  }

  @Test
  void ignorePredicateMatchesByContent() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .ignoreException(e -> e.getMessage() != null && e.getMessage().startsWith("404")).build());
    attempt(b, new IllegalStateException("404 not found"));
    attempt(b, new IllegalStateException("503 unavailable"));
    assertThat(b.status().ignoredCalls()).isEqualTo(1);
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void whenRecordTypesAreGivenOtherExceptionsCountAsSuccesses() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().recordExceptions(UncheckedIOException.class).build());
    attempt(b, new UncheckedIOException(new IOException("reset")));
    attempt(b, new IllegalStateException("validation"));
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void recordPredicateNarrowsWhatIsAFailure() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .recordException(e -> !(e instanceof IllegalArgumentException)).build());
    attempt(b, new IllegalArgumentException());
    attempt(b, new IllegalStateException());
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void ignoreWinsOverRecord() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .recordExceptions(RuntimeException.class).ignoreExceptions(IllegalArgumentException.class).build());
    attempt(b, new IllegalArgumentException());
    assertThat(b.status().ignoredCalls()).isEqualTo(1);
  }

  @Test
  void aResultPredicateTurnsReturnedValuesIntoFailuresButStillReturnsThem() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .recordResult(r -> r instanceof Integer code && code >= 500).build());
    Object nothing = b.execute(() -> null);
    assertThat(nothing).isNull();
    for (int i = 0; i < 5; i++) {
      assertThat(b.execute(() -> 503)).isEqualTo(503);
    }
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.status().failedCalls()).isEqualTo(5);
    assertThat(b.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void errorsAreFailuresAndPropagate() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    assertThatThrownBy(() -> b.execute(() -> {
      throw new AssertionError("bug");
    })).isInstanceOf(AssertionError.class);
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void aThrowingExceptionPredicateMakesTheCallAFailureAndTheCallerStillGetsItsOwnException() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1).halfOpenMaxCalls(1)
        .recordException(e -> e.getMessage().contains("timeout")).build()); // throws on a null message
    b.transitionTo(CircuitState.HALF_OPEN);
    IllegalStateException noMessage = new IllegalStateException();
    assertThatThrownBy(() -> b.execute(() -> {
      throw noMessage;
    })).isSameAs(noMessage).satisfies(e -> assertThat(e.getSuppressed()).singleElement()
        .isInstanceOf(NullPointerException.class));
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.state()).as("the probe failed, and its permit is not left taken").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void anExceptionThrownAgainAndAgainCarriesThePredicatesFailureOnlyOnce() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(100)
        .recordException(e -> e.getMessage().contains("timeout")).build()); // throws on a null message
    IllegalStateException shared = new IllegalStateException(); // a cached exception, thrown by every call
    for (int i = 0; i < 3; i++) {
      attempt(b, shared);
    }
    assertThat(shared.getSuppressed()).singleElement().isInstanceOf(NullPointerException.class);
    assertThat(b.status().failedCalls()).isEqualTo(3);
  }

  @Test
  void aThrowingIgnorePredicateDoesNotLeaveTheProbePermitTaken() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().halfOpenMaxCalls(1).successThreshold(1)
        .ignoreException(e -> {
          throw new IllegalStateException("predicate bug");
        }).build());
    b.transitionTo(CircuitState.HALF_OPEN);
    attempt(b, new Faults.Boom());
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    b.transitionTo(CircuitState.HALF_OPEN);
    assertThat(b.execute(() -> "ok")).isEqualTo("ok");
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aThrowingResultPredicateMakesTheCallAFailureAndThrowsToTheCaller() {
    IllegalStateException bug = new IllegalStateException("predicate bug");
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().halfOpenMaxCalls(1)
        .recordResult(r -> {
          throw bug;
        }).build());
    b.transitionTo(CircuitState.HALF_OPEN);
    assertThatThrownBy(() -> b.execute(() -> "value")).isSameAs(bug);
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    b.transitionTo(CircuitState.HALF_OPEN);
    Permit permit = b.acquirePermit();
    assertThatThrownBy(() -> permit.onResult(1_000L, "value")).isSameAs(bug);
    assertThat(b.status().failedCalls()).isEqualTo(2);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }
}
