package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypedResultsAndCheckedFunctionsTest {
  private final ManualTime time = new ManualTime();

  record Response(int status) {}

  private final CircuitBreakerConfig serverErrorsFail = CircuitBreakerConfig.builder()
      .failureThreshold(2).recordResult(Response.class, r -> r.status() >= 500).build();

  @Test
  void aTypedPredicateJudgesItsTypeWithoutACast() {
    CircuitBreaker b = breaker(time, serverErrorsFail);
    assertThat(b.execute(() -> new Response(503))).isEqualTo(new Response(503));
    assertThat(b.status().failedCalls()).isEqualTo(1);
    b.execute(() -> new Response(200));
    assertThat(b.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void aResultOfAnotherTypeOrNullIsASuccessNotAClassCastException() {
    CircuitBreaker b = breaker(time, serverErrorsFail);
    assertThat(b.execute(() -> "a string")).isEqualTo("a string");
    assertThat(b.<Object>execute(() -> null)).isNull();
    b.run(() -> { });
    assertThat(b.status().successfulCalls()).isEqualTo(3);
    assertThat(b.status().failedCalls()).isZero();
  }

  @Test
  void theUntypedPredicateWithACastStillFailsTheCallWithTheClassCastException() {
    // pinned because the migration section says so: use the typed form
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .recordResult(r -> ((Response) r).status() >= 500).build());
    assertThatThrownBy(() -> b.execute(() -> "a string")).isInstanceOf(ClassCastException.class);
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void theTwoStepFormJudgesABoxedStatusByItsType() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .recordResult(Integer.class, code -> code >= 500).build());
    b.acquirePermit().onResult(1_000, 503);
    b.acquirePermit().onResult(1_000, "not a status");
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void aCheckedSuppliersExceptionReachesTheCallerUnwrappedAndCounts() {
    CircuitBreaker b = breaker(time, serverErrorsFail);
    CheckedSupplier<Response> fetch = b.decorateCheckedSupplier(() -> {
      throw new IOException("connection reset");
    });
    assertThatThrownBy(fetch::get).isInstanceOf(IOException.class).hasMessage("connection reset");
    assertThatThrownBy(fetch::get).isInstanceOf(IOException.class);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(fetch::get).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void aCheckedFunctionGetsItsArgumentAndItsResultIsJudged() throws Exception {
    CircuitBreaker b = breaker(time, serverErrorsFail);
    CheckedFunction<Integer, Response> status = b.decorateCheckedFunction(Response::new);
    assertThat(status.apply(200)).isEqualTo(new Response(200));
    assertThat(status.apply(502)).isEqualTo(new Response(502));
    assertThat(b.status().failedCalls()).isEqualTo(1);
    assertThat(b.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void aCheckedRunnableRunsEachTimeThroughTheBreaker() throws Exception {
    CircuitBreaker b = breaker(time, serverErrorsFail);
    List<String> ran = new ArrayList<>();
    CheckedRunnable flush = b.decorateCheckedRunnable(() -> ran.add("flushed"));
    flush.run();
    flush.run();
    assertThat(ran).hasSize(2);
    CheckedRunnable failing = b.decorateCheckedRunnable(() -> {
      throw new IOException("disk full");
    });
    assertThatThrownBy(failing::run).isInstanceOf(IOException.class);
    assertThat(b.status().successfulCalls()).isEqualTo(2);
    assertThat(b.status().failedCalls()).isEqualTo(1);
  }
}
