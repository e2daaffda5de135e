package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ExecutionFormsTest {
  private final ManualTime time = new ManualTime();
  private final CircuitBreaker breaker = breaker(time, CircuitBreakerConfig.builder()
      .ignoreExceptions(Faults.Business.class).build());

  @Test
  void callPropagatesCheckedExceptionsUnwrapped() {
    IOException io = new IOException("connection reset");
    assertThatThrownBy(() -> breaker.call(() -> {
      throw io;
    })).isSameAs(io);
    assertThat(breaker.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void runCountsARunnable() {
    AtomicInteger ran = new AtomicInteger();
    breaker.run(ran::incrementAndGet);
    assertThat(ran).hasValue(1);
    assertThat(breaker.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void fallbackReceivesTheRejectionWhileOpen() {
    fail(breaker, 5);
    String answer = breaker.execute(() -> "live", cause -> "fallback:" + cause.getClass().getSimpleName());
    assertThat(answer).isEqualTo("fallback:CallNotPermittedException");
    assertThat(breaker.status().rejectedCalls()).isEqualTo(1);
  }

  @Test
  void fallbackReceivesTheFailureItself() {
    Faults.Boom boom = new Faults.Boom();
    List<Throwable> causes = new ArrayList<>();
    String answer = breaker.execute(() -> {
      throw boom;
    }, cause -> {
      causes.add(cause);
      return "cached";
    });
    assertThat(answer).isEqualTo("cached");
    assertThat(causes).containsExactly(boom);
    assertThat(breaker.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void ignoredExceptionsBypassTheFallback() {
    assertThatThrownBy(() -> breaker.execute(() -> {
      throw new Faults.Business();
    }, cause -> "fallback")).isInstanceOf(Faults.Business.class);
  }

  @Test
  void anExceptionThatIsNeitherRecordedNorIgnoredCountsAsASuccessAndBypassesTheFallback() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().recordExceptions(IOException.class).build());
    IllegalStateException validation = new IllegalStateException("validation");
    assertThatThrownBy(() -> b.execute(() -> {
      throw validation;
    }, cause -> "fallback")).isSameAs(validation);
    CompletionStage<String> async = b.executeAsync(() -> {
      throw validation;
    }, cause -> "fallback");
    assertThatThrownBy(() -> async.toCompletableFuture().join()).hasCause(validation);
    assertThat(b.status().successfulCalls()).isEqualTo(2);
    assertThat(b.status().failedCalls()).isZero();
  }

  @Test
  void aCallWhoseExceptionPredicateThrowsIsAFailureAndGetsTheFallback() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .recordException(e -> e.getMessage().contains("timeout")).build()); // throws on a null message
    String answer = b.execute(() -> {
      throw new IllegalStateException();
    }, cause -> "fallback");
    CompletionStage<String> async = b.executeAsync(() -> {
      throw new IllegalStateException();
    }, cause -> "fallback");
    assertThat(answer).isEqualTo("fallback");
    assertThat(async.toCompletableFuture().join()).isEqualTo("fallback");
    assertThat(b.status().failedCalls()).isEqualTo(2);
  }

  @Test
  void anAsyncSupplierThatThrowsAFailureGetsTheFallbackAndOneThatThrowsAnIgnoredExceptionDoesNot() {
    CompletionStage<String> failed = breaker.executeAsync(() -> {
      throw new Faults.Boom();
    }, cause -> "fallback");
    Faults.Business business = new Faults.Business();
    CompletionStage<String> ignored = breaker.executeAsync(() -> {
      throw business;
    }, cause -> "fallback");
    assertThat(failed.toCompletableFuture().join()).isEqualTo("fallback");
    assertThatThrownBy(() -> ignored.toCompletableFuture().join()).hasCause(business);
    assertThat(breaker.status().failedCalls()).isEqualTo(1);
    assertThat(breaker.status().ignoredCalls()).isEqualTo(1);
  }

  @Test
  void anAsyncCallIsTimedFromItsOwnStart() {
    time.advance(Duration.ofHours(1)); // far past the slow-call threshold since the ticker's origin
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletionStage<String> result = breaker.executeAsync(() -> pending);
    time.advance(Duration.ofMillis(10));
    pending.complete("fast");
    assertThat(result.toCompletableFuture().join()).isEqualTo("fast");
    assertThat(breaker.status().successfulCalls()).isEqualTo(1);
    assertThat(breaker.status().slowCalls()).isZero();
  }

  @Test
  void anAsyncCallOnABreakerThatTimesNothingIsRecorded() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().disableSlowCallDetection().build());
    assertThat(b.executeAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture().join()).isEqualTo("ok");
    assertThat(b.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void callAndRunFallbacks() throws Exception {
    IOException io = new IOException("down");
    Callable<String> failing = () -> {
      throw io;
    };
    assertThat(breaker.call(failing, cause -> cause == io ? "recovered" : "wrong")).isEqualTo("recovered");
    List<Throwable> seen = new ArrayList<>();
    breaker.run(() -> {
      throw new Faults.Boom();
    }, seen::add);
    assertThat(seen).hasSize(1).first().isInstanceOf(Faults.Boom.class);
  }

  @Test
  void decoratorsRunThroughTheBreakerOnEveryUse() throws Exception {
    Supplier<String> supplier = breaker.decorate(() -> "s");
    Callable<String> callable = breaker.decorateCallable(() -> "c");
    Function<Integer, Integer> function = breaker.decorateFunction(x -> x * 2);
    Runnable runnable = breaker.decorateRunnable(() -> { });
    assertThat(supplier.get()).isEqualTo("s");
    assertThat(callable.call()).isEqualTo("c");
    assertThat(function.apply(21)).isEqualTo(42);
    runnable.run();
    assertThat(breaker.status().successfulCalls()).isEqualTo(4);
    breaker.trip();
    assertThatThrownBy(supplier::get).isInstanceOf(CallNotPermittedException.class);
    assertThatThrownBy(() -> function.apply(1)).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void asyncRecordsWhenTheStageCompletesNotWhenItStarts() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletionStage<String> result = breaker.executeAsync(() -> pending);
    assertThat(breaker.status().successfulCalls()).isZero();
    time.advance(Duration.ofMillis(2500));
    pending.complete("done");
    assertThat(result.toCompletableFuture().join()).isEqualTo("done");
    assertThat(breaker.status().successfulCalls()).isEqualTo(1);
    assertThat(breaker.status().slowCalls()).as("timed from start to completion").isEqualTo(1);
  }

  @Test
  void anErrorWhileRecordingAnAsyncOutcomeCompletesTheStageInsteadOfLeavingItPending() {
    AssertionError broken = new AssertionError("observer bug");
    breaker.addObserver((outcome, nanos, weight) -> {
      throw broken; // an Error is not caught and logged like an observer's RuntimeException
    });
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletionStage<String> result = breaker.executeAsync(() -> pending);
    pending.complete("done");
    assertThat(result.toCompletableFuture()).isCompletedExceptionally();
    assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCause(broken);
    assertThat(breaker.status().successfulCalls()).isEqualTo(1);
  }

  @Test
  void asyncFailureIsRecordedAndUnwrapped() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletionStage<String> result = breaker.executeAsync(() -> pending.thenApply(s -> s));
    Faults.Boom boom = new Faults.Boom();
    pending.completeExceptionally(boom);
    assertThatThrownBy(() -> result.toCompletableFuture().join()).isInstanceOf(CompletionException.class).hasCause(boom);
    assertThat(breaker.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void asyncFallbackServesRejectionsAndFailures() {
    CompletionStage<String> failed = breaker.executeAsync(
        () -> CompletableFuture.failedFuture(new Faults.Boom()), cause -> "fallback");
    assertThat(failed.toCompletableFuture().join()).isEqualTo("fallback");
    breaker.trip();
    CompletionStage<String> rejected = breaker.executeAsync(
        () -> CompletableFuture.completedFuture("live"), cause -> cause.getClass().getSimpleName());
    assertThat(rejected.toCompletableFuture().join()).isEqualTo("CallNotPermittedException");
  }

  @Test
  void asyncRejectionIsAFailedStageNotAThrow() {
    breaker.trip();
    CompletionStage<String> rejected = breaker.executeAsync(() -> CompletableFuture.completedFuture("x"));
    assertThat(rejected.toCompletableFuture()).isCompletedExceptionally();
    assertThatThrownBy(() -> rejected.toCompletableFuture().join()).hasCauseInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void aSupplierThatThrowsBeforeReturningAStageIsAFailedStage() {
    CompletionStage<String> result = breaker.executeAsync(() -> {
      throw new Faults.Boom();
    });
    assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCauseInstanceOf(Faults.Boom.class);
    assertThat(breaker.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void aSupplierReturningNullIsTheCallersBugNotADownstreamFailure() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().failureThreshold(1).halfOpenMaxCalls(1).build());
    CompletionStage<String> result = b.executeAsync(() -> null);
    assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCauseInstanceOf(NullPointerException.class);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.status().ignoredCalls()).isEqualTo(1);
    b.transitionTo(CircuitState.HALF_OPEN);
    b.executeAsync(() -> null);
    assertThat(b.tryAcquirePermit()).as("the probe permit came back").isPresent();
  }

  @Test
  void aCancelledStageCountsAsIgnoredAndReturnsItsProbePermit() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().halfOpenMaxCalls(1).build());
    b.transitionTo(CircuitState.HALF_OPEN);
    CompletableFuture<String> pending = new CompletableFuture<>();
    b.executeAsync(() -> pending);
    assertThat(b.tryAcquirePermit()).isEmpty();
    pending.cancel(true);
    assertThat(b.status().ignoredCalls()).isEqualTo(1);
    assertThat(b.tryAcquirePermit()).isPresent();
  }

  @Test
  void twoStepPermitsReportOnceWhateverHappensAfter() {
    Permit permit = breaker.acquirePermit();
    permit.onError(1_000, new Faults.Boom());
    permit.onSuccess(1_000);
    permit.release();
    assertThat(breaker.status().failedCalls()).isEqualTo(1);
    assertThat(breaker.status().totalCalls()).isEqualTo(1);
  }

  @Test
  void twoStepPermitsClassifyResultsAndErrors() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder()
        .recordResult(r -> "bad".equals(r)).ignoreExceptions(Faults.Business.class).build());
    b.acquirePermit().onResult(1_000, "bad");
    b.acquirePermit().onResult(1_000, "good");
    b.acquirePermit().onError(1_000, new Faults.Business());
    b.acquirePermit().onFailure(3_000_000_000L);
    b.acquirePermit().release();
    CircuitBreakerStatus s = b.status();
    assertThat(s.failedCalls()).isEqualTo(2);
    assertThat(s.successfulCalls()).isEqualTo(1);
    assertThat(s.ignoredCalls()).isEqualTo(2);
    assertThat(s.slowCalls()).isEqualTo(1);
  }

  @Test
  void acquirePermitRejectsAndCounts() {
    breaker.trip();
    assertThatThrownBy(breaker::acquirePermit).isInstanceOf(CallNotPermittedException.class);
    assertThat(breaker.tryAcquirePermit()).isEmpty();
    assertThat(breaker.status().rejectedCalls()).isEqualTo(2);
  }
}
