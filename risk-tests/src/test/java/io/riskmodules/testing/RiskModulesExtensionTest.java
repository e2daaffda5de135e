package io.riskmodules.testing;

import static io.riskmodules.testing.RiskAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.riskmodules.RiskModules;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

@ExtendWith(RiskModulesExtension.class)
class RiskModulesExtensionTest {

  @Test
  void givesARegistryOnTheTestsManualClock(CircuitBreakerRegistry registry, ManualClock clock,
      SimulatedService<String> inventory) {
    CircuitBreaker breaker = registry.breaker("inventory_service");
    inventory.failAlways();
    for (int i = 0; i < 5; i++) {
      breaker.execute(inventory, cause -> "fallback");
    }
    assertThat(breaker).isOpen().hasRemainingOpenTime(Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(30));

    assertThat(breaker).isHalfOpen();
    assertThat(inventory.calls()).isEqualTo(5);
  }

  @Nested
  @RiskModulesConfig("extension/checkout.yaml")
  class WithAConfigFile {

    @Test
    void givesTheRuntimeOfTheFileOnTheManualClockWithTheRecordingSink(RiskModules risk, ManualClock clock,
        RecordingAlertSink alerts, SimulatedService<String> payments, CircuitBreakerRegistry registry) {
      assertThat(registry).isSameAs(risk.registry());
      CircuitBreaker breaker = risk.breaker("payment_service");
      payments.failAlways();
      for (int i = 0; i < 4; i++) {
        breaker.execute(payments, cause -> "later");
      }
      assertThat(breaker).isOpen().hasFailedCalls(3).hasRejectedCalls(1);
      assertThat(payments.calls()).isEqualTo(3);

      clock.advance(Duration.ofSeconds(10)); // the alert manager's group wait, on the manual clock

      assertThat(alerts).hasFiring("breaker_open:payment_service", Severity.HIGH);
      assertThat(risk.alertManager().stats()).extracting(s -> s.sink()).containsExactly("recording");
    }

    @Test
    @RiskModulesConfig("extension/strict.yaml")
    void aMethodsAnnotationReplacesTheClasss(RiskModules risk) {
      assertThat(risk.breaker("payment_service").config().failureThreshold()).isEqualTo(1);
    }
  }

  // ---- the extension seen from outside: run by a launcher of our own ----

  private static TestExecutionSummary run(Class<?> scenarios, Map<String, String> parameters) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(scenarios)).configurationParameters(parameters)
        .configurationParameter(LaunchedScenario.PARAMETER, "true").build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    return listener.getSummary();
  }

  @Test
  void runsTestsInParallelEachWithItsOwnObjectsAndClosesThemAfterwards() {
    ParallelScenarios.CLOCKS.clear();
    ParallelScenarios.RUNTIMES.clear();
    ParallelScenarios.allInFlight = new CountDownLatch(ParallelScenarios.TESTS);

    TestExecutionSummary summary = run(ParallelScenarios.class, Map.of(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(ParallelScenarios.TESTS)));

    assertThat(summary.getFailures()).as(() -> describe(summary)).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(ParallelScenarios.TESTS);
    assertThat(ParallelScenarios.CLOCKS).hasSize(ParallelScenarios.TESTS).doesNotHaveDuplicates()
        .allSatisfy(c -> assertThat(c.scheduler().isShutdown()).as("scheduler shut down after the test").isTrue());
    assertThat(ParallelScenarios.RUNTIMES).hasSize(ParallelScenarios.TESTS).doesNotHaveDuplicates();
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
        .extracting(Thread::getName).noneMatch(n -> n.startsWith("risk-alerts")); // every runtime closed
  }

  @Test
  void aRuntimeParameterWithoutAConfigFileSaysWhatIsMissing() {
    TestExecutionSummary summary = run(MissingConfigScenario.class, Map.of());

    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .hasMessageContaining("a RiskModules parameter needs @RiskModulesConfig");
  }

  @Test
  void aMissingResourceIsNamed() {
    TestExecutionSummary summary = run(MissingResourceScenario.class, Map.of());

    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .hasMessageContaining("names resource 'extension/nope.yaml', which is not on the test class path");
  }

  private static String describe(TestExecutionSummary summary) {
    StringBuilder sb = new StringBuilder();
    summary.getFailures().forEach(f -> sb.append(f.getTestIdentifier().getDisplayName()).append(": ")
        .append(f.getException()).append('\n'));
    return sb.toString();
  }

  /** Run only by {@link #runsTestsInParallelEachWithItsOwnObjectsAndClosesThemAfterwards}. */
  @ExtendWith(RiskModulesExtension.class)
  @RiskModulesConfig("extension/checkout.yaml")
  @ExtendWith(LaunchedScenario.class)
  static class ParallelScenarios {
    static final int TESTS = 4;
    static final Queue<ManualClock> CLOCKS = new ConcurrentLinkedQueue<>();
    static final Queue<RiskModules> RUNTIMES = new ConcurrentLinkedQueue<>();
    static volatile CountDownLatch allInFlight;

    /** Trips payment_service with {@code rejected} extra calls and moves the clock {@code seconds}. */
    private static void scenario(int rejected, int seconds, RiskModules risk, ManualClock clock,
        RecordingAlertSink alerts, SimulatedService<String> service) throws InterruptedException {
      CLOCKS.add(clock);
      RUNTIMES.add(risk);
      allInFlight.countDown();
      if (!allInFlight.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the " + TESTS + " tests did not run at the same time");
      }
      service.failAlways();
      CircuitBreaker breaker = risk.breaker("payment_service");
      for (int i = 0; i < 3 + rejected; i++) {
        breaker.execute(service, cause -> "later");
      }
      clock.advance(Duration.ofSeconds(seconds));

      assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(seconds));
      assertThat(breaker).isOpen().hasFailedCalls(3).hasRejectedCalls(rejected)
          .hasRemainingOpenTime(Duration.ofSeconds(60 - seconds));
      assertThat(service.calls()).isEqualTo(3);
      assertThat(alerts).hasFiring("breaker_open:payment_service");
      assertThat(alerts.alerts()).hasSize(1);
    }

    @Test
    void first(RiskModules risk, ManualClock clock, RecordingAlertSink alerts, SimulatedService<String> s)
        throws Exception {
      scenario(1, 10, risk, clock, alerts, s);
    }

    @Test
    void second(RiskModules risk, ManualClock clock, RecordingAlertSink alerts, SimulatedService<String> s)
        throws Exception {
      scenario(2, 20, risk, clock, alerts, s);
    }

    @Test
    void third(RiskModules risk, ManualClock clock, RecordingAlertSink alerts, SimulatedService<String> s)
        throws Exception {
      scenario(3, 30, risk, clock, alerts, s);
    }

    @Test
    void fourth(RiskModules risk, ManualClock clock, RecordingAlertSink alerts, SimulatedService<String> s)
        throws Exception {
      scenario(4, 40, risk, clock, alerts, s);
    }
  }

  @ExtendWith(RiskModulesExtension.class)
  @ExtendWith(LaunchedScenario.class)
  static class MissingConfigScenario {
    @Test
    void needsARuntime(RiskModules risk) {
      assertThat(risk).isNotNull();
    }
  }

  @ExtendWith(RiskModulesExtension.class)
  @RiskModulesConfig("extension/nope.yaml")
  @ExtendWith(LaunchedScenario.class)
  static class MissingResourceScenario {
    @Test
    void needsARuntime(RiskModules risk) {
      assertThat(risk).isNotNull();
    }
  }

}
