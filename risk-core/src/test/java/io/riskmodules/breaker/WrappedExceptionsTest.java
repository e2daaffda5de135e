package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 7: a {@link CompletionException} or {@link ExecutionException} is judged by its
 * cause on every path, so that ignore and record rules written for the cause apply.
 */
class WrappedExceptionsTest {
  private final ManualTime time = new ManualTime();

  /** IOExceptions are ignored: only a call judged as something else changes the counts. */
  private CircuitBreaker ignoringIo() {
    return breaker(time, CircuitBreakerConfig.builder().ignoreExceptions(IOException.class).build());
  }

  private static void assertIgnoredOnce(CircuitBreaker b) {
    CircuitBreakerStatus s = b.status();
    assertThat(s.ignoredCalls()).as("ignored").isEqualTo(1);
    assertThat(s.failedCalls()).as("failed").isZero();
    assertThat(s.successfulCalls()).as("succeeded").isZero();
  }

  @Test
  void anExecutionExceptionThrownInsideCallIsJudgedByItsCause() {
    CircuitBreaker b = ignoringIo();
    ExecutionException wrapped = new ExecutionException(new IOException("down"));
    assertThatThrownBy(() -> b.call(() -> {
      throw wrapped;
    })).as("the caller still gets what the call threw").isSameAs(wrapped);
    assertIgnoredOnce(b);
  }

  @Test
  void aCompletionExceptionThrownInsideExecuteIsJudgedByItsCause() {
    CircuitBreaker b = ignoringIo();
    CompletionException wrapped = new CompletionException(new IOException("down"));
    assertThatThrownBy(() -> b.execute(() -> {
      throw wrapped;
    })).isSameAs(wrapped);
    assertIgnoredOnce(b);
  }

  @Test
  void aCompletionExceptionThrownByTheAsyncSupplierIsJudgedByItsCause() {
    CircuitBreaker b = ignoringIo();
    IOException cause = new IOException("down");
    CompletionStage<String> result = b.executeAsync(() -> {
      throw new CompletionException(cause);
    });
    assertIgnoredOnce(b);
    assertThatThrownBy(() -> result.toCompletableFuture().join())
        .as("the stage fails with the cause, as a stage completed with the wrapper does")
        .isInstanceOf(CompletionException.class).hasCause(cause);
  }

  @Test
  void aStageCompletedWithAWrapperIsJudgedByItsCause() {
    CircuitBreaker b = ignoringIo();
    b.executeAsync(() -> CompletableFuture.<String>failedFuture(new CompletionException(new IOException("down"))));
    assertIgnoredOnce(b);
  }

  @Test
  void aWrapperGivenToPermitOnErrorIsJudgedByItsCause() {
    CircuitBreaker b = ignoringIo();
    b.acquirePermit().onError(1_000, new ExecutionException(new CompletionException(new IOException("down"))));
    assertIgnoredOnce(b);
  }

  @Test
  void recordRulesSeeTheCauseToo() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().recordExceptions(IOException.class).build());
    b.acquirePermit().onError(1_000, new ExecutionException(new IOException("down")));
    b.acquirePermit().onError(1_000, new ExecutionException(new IllegalStateException("a bug")));
    CircuitBreakerStatus s = b.status();
    assertThat(s.failedCalls()).as("the wrapped IOException is recorded").isEqualTo(1);
    assertThat(s.successfulCalls()).as("the wrapped other one is not").isEqualTo(1);
  }

  @Test
  void aWrapperWithoutACauseIsJudgedAsItself() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().ignoreExceptions(CompletionException.class).build());
    b.acquirePermit().onError(1_000, new CompletionException("no cause", null));
    assertIgnoredOnce(b);
  }
}
