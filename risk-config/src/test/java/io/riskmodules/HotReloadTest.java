package io.riskmodules;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Notification;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.config.ReloadEvent;
import io.riskmodules.config.ReloadEvent.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files rewritten on disk, picked up by the JDK WatchService: the periodic check is set to an
 * hour, so every reload here comes from a file event (Awaitility waits for its delivery).
 */
class HotReloadTest {

  private static final String V1 = """
      circuit_breaker:
        default:
          failure_threshold: 5
        services:
          payment_service:
            failure_threshold: 3
            timeout_seconds: 60
          inventory_service:
            timeout_seconds: 20
      alerting:
        group_wait_seconds: 0
      """;

  @TempDir Path dir;
  private Path file;
  private RiskModules risk;
  private final List<ReloadEvent> events = new CopyOnWriteArrayList<>();
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() throws IOException {
    file = dir.resolve("circuit_breaker_config.yaml");
    Files.writeString(file, V1);
    AlertSink recording = new AlertSink() {
      @Override
      public String name() {
        return "recording";
      }

      @Override
      public void deliver(Notification n) {
        alerts.addAll(n.alerts());
      }
    };
    risk = RiskModules.builder().files(file).watch(Duration.ofHours(1)).startBackgroundTasks(false)
        .eventExecutor(Runnable::run).meterRegistry(meters).alertSink(recording).build();
    risk.onReload(events::add);
  }

  @AfterEach
  void stop() {
    risk.close();
  }

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20));
  }

  private ReloadEvent awaitEvent(int n) {
    await().until(() -> events.size() >= n);
    return events.get(n - 1);
  }

  private void trip(CircuitBreaker b, int failures) {
    for (int i = 0; i < failures; i++) {
      try {
        b.execute(() -> {
          throw new IllegalStateException("down");
        });
      } catch (IllegalStateException expected) {
        // recorded
      }
    }
  }

  @Test
  void aValidEditReconfiguresLiveBreakersInPlaceAddsAndRemovesServices() throws IOException {
    CircuitBreaker payments = risk.breaker("payment_service");
    trip(payments, 3);
    assertThat(payments.state()).isEqualTo(CircuitState.OPEN);

    Files.writeString(file, V1.replace("timeout_seconds: 60", "timeout_seconds: 120")
        .replace("    inventory_service:\n      timeout_seconds: 20\n", "    search_service:\n      failure_threshold: 2\n"));

    ReloadEvent e = awaitEvent(1);
    assertThat(e.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(e.changes()).contains("services added: [search_service]", "services reconfigured: [payment_service]",
        "services removed: [inventory_service]");
    assertThat(risk.breaker("payment_service")).isSameAs(payments);
    assertThat(payments.state()).isEqualTo(CircuitState.OPEN); // state kept
    assertThat(payments.config().openTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(risk.registry().find("search_service").orElseThrow().config().failureThreshold()).isEqualTo(2);
    assertThat(risk.registry().find("inventory_service")).isEmpty();
    assertThat(meters.get("risk.config.reloads").tag("outcome", "applied").counter().count()).isEqualTo(1);
  }

  @Test
  void aBrokenEditIsRejectedWholeLoggedAndAlerted() throws IOException {
    Files.writeString(file, V1.replace("timeout_seconds: 60", "timeout_seconds: 90")
        .replace("failure_threshold: 3", "failure_threshold: 0"));
    ReloadEvent e = awaitEvent(1);
    assertThat(e.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(e.problems()).singleElement().asString().endsWith(
        "circuit_breaker_config.yaml:6:7 circuit_breaker.services.payment_service.failure_threshold:"
            + " must be at least 1, was 0");
    // nothing half-applied: the valid timeout change did not land either
    assertThat(risk.breaker("payment_service").config().openTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(risk.breaker("payment_service").config().failureThreshold()).isEqualTo(3);
    assertThat(meters.get("risk.config.reloads").tag("outcome", "rejected").counter().count()).isEqualTo(1);
    await().until(() -> alerts.stream().anyMatch(a -> a.key().equals(RiskModules.RELOAD_REJECTED_ALERT)
        && a.status() == Alert.Status.FIRING && a.details().contains("must be at least 1, was 0")));

    Files.writeString(file, V1.replace("timeout_seconds: 60", "timeout_seconds: 90"));
    await().until(() -> events.stream().anyMatch(ev -> ev.outcome() == Outcome.APPLIED));
    assertThat(risk.breaker("payment_service").config().openTimeout()).isEqualTo(Duration.ofSeconds(90));
    await().until(() -> alerts.stream().anyMatch(a -> a.key().equals(RiskModules.RELOAD_REJECTED_ALERT)
        && a.status() == Alert.Status.RESOLVED));
  }

  @Test
  void aTruncatedWriteIsRejectedAndTheCompleteFileThatFollowsApplied() throws IOException {
    String full = V1.replace("timeout_seconds: 60", "timeout_seconds: 45");
    byte[] bytes = full.getBytes(StandardCharsets.UTF_8);
    int cut = full.indexOf("failure_threshold: 3") + "failure_thre".length();
    Files.write(file, java.util.Arrays.copyOf(bytes, cut));
    await().until(() -> events.stream().anyMatch(ev -> ev.outcome() == Outcome.REJECTED));
    assertThat(risk.breaker("payment_service").config().openTimeout()).isEqualTo(Duration.ofSeconds(60));
    Files.write(file, bytes);
    await().until(() -> events.stream().anyMatch(ev -> ev.outcome() == Outcome.APPLIED));
    assertThat(risk.breaker("payment_service").config().openTimeout()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aFileReplacedByRename() throws IOException {
    Path tmp = dir.resolve(".circuit_breaker_config.yaml.tmp");
    Files.writeString(tmp, V1.replace("failure_threshold: 3", "failure_threshold: 4"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    await().until(() -> events.stream().anyMatch(ev -> ev.outcome() == Outcome.APPLIED));
    assertThat(risk.breaker("payment_service").config().failureThreshold()).isEqualTo(4);
  }

  @Test
  void aDeletedFileKeepsTheRunningConfig() throws IOException {
    Files.delete(file);
    ReloadEvent e = awaitEvent(1);
    assertThat(e.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(e.problems()).singleElement().asString().endsWith("circuit_breaker_config.yaml:0:0 (file): file not found");
    assertThat(risk.breaker("payment_service").config().failureThreshold()).isEqualTo(3);
    Files.writeString(file, V1.replace("failure_threshold: 3", "failure_threshold: 6"));
    await().until(() -> risk.breaker("payment_service").config().failureThreshold() == 6);
  }

  @Test
  void theStateOverrideTripsAndReleasesThroughTheFile() throws IOException {
    Files.writeString(file, V1.replace("      timeout_seconds: 60\n", "      timeout_seconds: 60\n      state: forced_open\n"));
    await().until(() -> risk.breaker("payment_service").state() == CircuitState.FORCED_OPEN);
    Files.writeString(file, V1.replace("      timeout_seconds: 60\n", "      timeout_seconds: 60\n      state: auto\n"));
    await().until(() -> risk.breaker("payment_service").state() == CircuitState.CLOSED);
  }

  @Test
  void aReloadOfAnUnchangedFileDoesNoWork() throws IOException {
    risk.close(); // reloads by hand only here, so that no file event races the calls
    risk = RiskModules.builder().files(file).startBackgroundTasks(false).build();
    risk.onReload(events::add);
    assertThat(risk.reload().outcome()).isEqualTo(Outcome.UNCHANGED); // not even read: size and time unchanged
    Files.writeString(file, V1); // same bytes, new modification time: read, compared, nothing applied
    assertThat(risk.reload().outcome()).isEqualTo(Outcome.UNCHANGED);
    CircuitBreaker payments = risk.breaker("payment_service");
    assertThat(payments.config()).isSameAs(risk.config().breakers().configFor("payment_service"));
    assertThat(events).isEmpty();
    assertThat(risk.reloadCount(Outcome.APPLIED) + risk.reloadCount(Outcome.REJECTED)).isZero();
  }

  @Test
  void riskPoliciesAndAlertRulesChangeLive() throws IOException {
    var before = risk.riskAssessor();
    var manager = risk.alertManager();
    Files.writeString(file, V1 + "  breaker_open:\n    severity: critical\n"
        + "risk:\n  services:\n    payment_service:\n      failure_rate: {threshold: 0.1}\n");
    ReloadEvent e = awaitEvent(1);
    assertThat(e.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(e.changes()).contains("risk policies", "alert channels and rules");
    assertThat(risk.riskAssessor()).isNotSameAs(before);
    assertThat(risk.alertManager()).isNotSameAs(manager);
    assertThat(risk.config().alerting().breakerOpen().severity()).isEqualTo("critical");
  }
}
