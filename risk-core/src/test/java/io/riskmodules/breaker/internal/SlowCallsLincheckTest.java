package io.riskmodules.breaker.internal;

import static io.riskmodules.breaker.internal.LincheckBreakers.scenario;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks slow calls in the count window: in every interleaving, each slow success and each
 * failure takes a place of its own, so that once the calls are done the window holds exactly the
 * calls, failures and slow calls made (the window is larger than any scenario).
 */
public class SlowCallsLincheckTest {
  private static final long SLOW = Duration.ofSeconds(2).toNanos();

  private final CircuitBreaker breaker = LincheckBreakers.breaker(CircuitBreakerConfig.builder()
      .countBasedWindow(16).minimumNumberOfCalls(100).failureThreshold(1_000).failureRateThreshold(1.0)
      .slowCallRateThreshold(1.0).slowCallDurationThreshold(Duration.ofSeconds(1)).build());
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger slow = new AtomicInteger();

  @Operation
  public void slowSuccess() {
    breaker.acquirePermit().onSuccess(SLOW);
    slow.incrementAndGet();
    calls.incrementAndGet();
  }

  @Operation
  public void slowFailure() {
    breaker.acquirePermit().onFailure(SLOW);
    slow.incrementAndGet();
    failures.incrementAndGet();
    calls.incrementAndGet();
  }

  @Operation
  public void success() {
    breaker.acquirePermit().onSuccess(0);
    calls.incrementAndGet();
  }

  @Validate
  public void theWindowHoldsEveryCall() {
    CircuitBreakerStatus s = breaker.status();
    String expected = calls.get() + " calls, " + failures.get() + " failed, " + slow.get() + " slow";
    String actual = s.callsInWindow() + " calls, " + Math.round(s.failureRate() * s.callsInWindow())
        + " failed, " + Math.round(s.slowCallRate() * s.callsInWindow()) + " slow";
    if (!expected.equals(actual)) {
      throw new AssertionError("window: expected " + expected + ", was " + actual);
    }
  }


  @Test
  void slowCallsEachTakeAPlace() {
    LincheckBreakers.options(6, 150).threads(2).actorsPerThread(3)
        .addCustomScenario(scenario(getClass(), new String[] {"success"},
            new String[][] {{"slowSuccess", "slowSuccess"}, {"slowSuccess", "slowFailure"}}, new String[] {}))
        .check(getClass());
  }
}
