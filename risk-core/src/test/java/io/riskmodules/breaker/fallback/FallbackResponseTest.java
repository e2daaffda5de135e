package io.riskmodules.breaker.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FallbackResponseTest {
  private final FallbackResponse.Template rfc = FallbackResponse.Template.rfcDefault();

  @Test
  void retryAfterIsTheRealRemainingOpenTimeRoundedUp() {
    AtomicLong nanos = new AtomicLong();
    CircuitBreaker breaker = CircuitBreaker.builder("payment_service").ticker(nanos::get).eventExecutor(Runnable::run).build();
    breaker.transitionTo(CircuitState.OPEN);
    nanos.addAndGet(Duration.ofMillis(800).toNanos());
    FallbackResponse response = breaker.execute(() -> null, rfc::render);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body().retryAfter()).as("29.2 s left").isEqualTo(30);
    nanos.addAndGet(Duration.ofMillis(28_300).toNanos());
    assertThat(breaker.execute(() -> null, rfc::render).body().retryAfter()).as("0.9 s left").isEqualTo(1);
  }

  @Test
  void otherCausesGetTheConfiguredRetryAfter() {
    assertThat(rfc.render(new IllegalStateException()).body().retryAfter()).isEqualTo(30);
    assertThat(rfc.render(new CallNotPermittedException("x", CircuitState.FORCED_OPEN, 0, false)).body().retryAfter()).isEqualTo(30);
    assertThat(rfc.render(new CallNotPermittedException("x", CircuitState.HALF_OPEN, 0, false)).body().retryAfter()).isEqualTo(1);
    assertThat(rfc.render(new CallNotPermittedException("x", CircuitState.OPEN, 0, false)).body().retryAfter())
        .as("an open time that just ran out").isEqualTo(1);
  }

  @Test
  void rendersTheRfcBody() throws Exception {
    FallbackResponse r = rfc.render(new CallNotPermittedException("x", CircuitState.OPEN, 12_000_000_001L, false));
    assertThat(r.body().toJson()).isEqualTo("{\"error\":\"Service temporarily unavailable\",\"retry_after\":13}");
    assertThat(new ObjectMapper().readTree(r.body().toJson()).get("retry_after").asInt()).isEqualTo(13);
    assertThat(new FallbackResponse.Body("say \"hi\"\n", 1).toJson()).isEqualTo("{\"error\":\"say \\\"hi\\\"\\u000a\",\"retry_after\":1}");
    assertThat(new ObjectMapper().writeValueAsString(r)).contains("\"statusCode\":503");
  }

  @Test
  void theTemplateIsValidated() {
    assertThatThrownBy(() -> new FallbackResponse.Template(42, "x", 1)).hasMessage("status_code must be from 100 to 599, was 42");
    assertThatThrownBy(() -> new FallbackResponse.Template(503, "x", -1)).hasMessage("retry_after must be at least 0, was -1");
  }
}
