package io.riskmodules.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.riskmodules.breaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery: retries, drops with reasons, the sink's breaker, isolation between sinks, close. */
class DeliveryTest {

  private final ManualTime time = new ManualTime();
  private final List<AlertManager> managers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeAll() {
    release.countDown();
    managers.forEach(m -> m.close(Duration.ofSeconds(5)));
  }

  private AlertManager.Builder builder() {
    return AlertManager.builder().clock(time).ticker(time).groupWait(Duration.ZERO)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  private AlertManager start(AlertManager.Builder b) {
    AlertManager m = b.build();
    managers.add(m);
    return m;
  }

  private Alert alert(String key, Severity severity) {
    return Alert.firing(key, AlertKind.CUSTOM, severity, "svc", "alert " + key, "", time.instant());
  }

  private static void fire(AlertManager m, Alert a) {
    m.fire(a);
    m.evaluate();
  }

  /** A sink that answers from a script, then succeeds. */
  static final class ScriptedSink implements AlertSink {
    final String name;
    final List<Exception> script;
    final AtomicInteger calls = new AtomicInteger();
    final List<Notification> delivered = new CopyOnWriteArrayList<>();

    ScriptedSink(String name, Exception... script) {
      this.name = name;
      this.script = List.of(script);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void deliver(Notification n) throws Exception {
      int i = calls.getAndIncrement();
      if (i < script.size()) {
        throw script.get(i);
      }
      delivered.add(n);
    }
  }

  /** A sink that blocks until released, ignoring nothing: it hangs like a dead SMTP server. */
  final class HangingSink implements AlertSink {
    final AtomicInteger calls = new AtomicInteger();
    final String name;

    HangingSink(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void deliver(Notification n) throws InterruptedException {
      calls.incrementAndGet();
      release.await();
    }
  }

  private static void awaitSettled(AlertManager m, int sink, long routed) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      SinkStats s = m.stats().get(sink);
      return s.routed() == routed && s.queued() == 0;
    });
  }

  @Test
  void transientFailuresAreRetriedUntilDelivered() {
    ScriptedSink sink = new ScriptedSink("flaky",
        new java.io.IOException("connection reset"), DeliveryException.retryable("HTTP 503", null));
    AlertManager m = start(builder().sink(sink));
    fire(m, alert("a", Severity.HIGH));
    awaitSettled(m, 0, 1);
    SinkStats s = m.stats().get(0);
    assertThat(s.delivered()).isEqualTo(1);
    assertThat(s.retried()).isEqualTo(2);
    assertThat(sink.calls).hasValue(3);
  }

  @Test
  void aPermanentErrorIsDroppedWithoutRetry() {
    ScriptedSink sink = new ScriptedSink("strict", DeliveryException.permanent("HTTP 400"));
    AlertManager m = start(builder().sink(sink));
    fire(m, alert("a", Severity.HIGH));
    awaitSettled(m, 0, 1);
    assertThat(m.stats().get(0).dropped()).isEqualTo(Map.of(DropReason.PERMANENT_ERROR, 1L));
    assertThat(sink.calls).hasValue(1);
  }

  @Test
  void afterMaxAttemptsTheNotificationIsDroppedAsGivenUp() {
    ScriptedSink sink = new ScriptedSink("down", new java.io.IOException("1"), new java.io.IOException("2"),
        new java.io.IOException("3"), new java.io.IOException("4"));
    AlertManager m = start(builder().sink(sink).maxAttempts(3));
    fire(m, alert("a", Severity.HIGH));
    awaitSettled(m, 0, 1);
    SinkStats s = m.stats().get(0);
    assertThat(s.dropped()).isEqualTo(Map.of(DropReason.GAVE_UP, 1L));
    assertThat(s.retried()).isEqualTo(2);
    assertThat(sink.calls).hasValue(3);
  }

  @Test
  void aDisabledSinkDropsEverythingAfterwards() {
    ScriptedSink sink = new ScriptedSink("gone", DeliveryException.disableSink("HTTP 410"));
    AlertManager m = start(builder().sink(sink));
    fire(m, alert("a", Severity.HIGH));
    awaitSettled(m, 0, 1);
    fire(m, alert("b", Severity.CRITICAL));
    awaitSettled(m, 0, 2);
    SinkStats s = m.stats().get(0);
    assertThat(s.disabled()).isTrue();
    assertThat(s.dropped()).isEqualTo(Map.of(DropReason.SINK_DISABLED, 2L));
    assertThat(sink.calls).hasValue(1);
  }

  @Test
  void aFullQueueDropsTheLowestSeverityFirst() {
    HangingSink sink = new HangingSink("slow");
    AlertManager m = start(builder().sink(sink).queueCapacity(2));
    fire(m, alert("first", Severity.INFO));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.calls.get() == 1); // in flight, queue empty
    fire(m, alert("low", Severity.LOW));
    fire(m, alert("medium", Severity.MEDIUM));
    fire(m, alert("critical", Severity.CRITICAL)); // evicts low
    fire(m, alert("info", Severity.INFO)); // nothing queued is less urgent: dropped itself
    SinkStats s = m.stats().get(0);
    assertThat(s.dropped()).isEqualTo(Map.of(DropReason.QUEUE_FULL, 2L));
    assertThat(s.queued()).isEqualTo(3); // first (in flight), medium, critical
    release.countDown();
    awaitSettled(m, 0, 5);
    assertThat(m.stats().get(0).delivered()).isEqualTo(3);
  }

  @Test
  void whileTheSinksBreakerIsOpenTheReceiverIsNotCalled() {
    ScriptedSink sink = new ScriptedSink("broken", new java.io.IOException("1"), new java.io.IOException("2"),
        new java.io.IOException("3"), new java.io.IOException("4"));
    AlertManager m = start(builder().sink(sink).maxAttempts(10)
        .sinkBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(2).openTimeout(Duration.ofMinutes(10)).build()));
    fire(m, alert("a", Severity.HIGH));
    await().atMost(Duration.ofSeconds(10)).until(() -> m.stats().get(0).retried() == 2);
    assertThat(m.close(Duration.ofMillis(200))).isFalse();
    assertThat(sink.calls).hasValue(2);
    assertThat(m.stats().get(0).dropped()).isEqualTo(Map.of(DropReason.SHUTDOWN, 1L));
  }

  @Test
  void aHangingSinkHoldsUpNeitherTheCallerNorTheOtherSinks() {
    HangingSink slow = new HangingSink("smtp");
    RecordingSink fast = new RecordingSink("pagerduty");
    AlertManager m = start(builder().sink(slow).sink(fast));
    for (int i = 0; i < 5; i++) {
      fire(m, alert("a" + i, Severity.CRITICAL));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> fast.lines().size() == 5);
    assertThat(slow.calls).hasValue(1);
  }

  @Test
  void closeDrainsWhatItCanThenCountsTheRestAsDroppedAtShutdown() {
    HangingSink slow = new HangingSink("slow");
    RecordingSink fast = new RecordingSink("fast");
    AlertManager m = start(builder().sink(slow).sink(fast));
    for (int i = 0; i < 3; i++) {
      fire(m, alert("a" + i, Severity.HIGH));
    }
    assertThat(m.close(Duration.ofMillis(300))).isFalse();
    SinkStats s = m.stats().get(0);
    assertThat(s.routed()).isEqualTo(3);
    assertThat(s.dropped()).isEqualTo(Map.of(DropReason.SHUTDOWN, 3L));
    assertThat(s.queued()).isZero();
    assertThat(m.stats().get(1).delivered()).isEqualTo(3);
  }

  @Test
  void aSinkThatThrowsAnUncheckedExceptionIsRetriedLikeAnyTransientFailure() {
    ScriptedSink sink = new ScriptedSink("buggy", new IllegalStateException("bug"));
    AlertManager m = start(builder().sink(sink));
    fire(m, alert("a", Severity.HIGH));
    awaitSettled(m, 0, 1);
    assertThat(m.stats().get(0).delivered()).isEqualTo(1);
  }
}
