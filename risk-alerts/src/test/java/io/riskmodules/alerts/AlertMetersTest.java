package io.riskmodules.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AlertMetersTest {

  @Test
  void alertsAreCountedBySinkAndOutcomeWithQueueDepthAndLatency() throws Exception {
    ManualTime time = new ManualTime();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CountDownLatch release = new CountDownLatch(1);
    AlertSink stuck = new AlertSink() {
      @Override
      public String name() {
        return "stuck";
      }

      @Override
      public void deliver(Notification n) throws InterruptedException {
        release.await();
      }
    };
    AlertSink flaky = new DeliveryTest.ScriptedSink("flaky", DeliveryException.retryable("HTTP 503", null));
    AlertManager m = AlertManager.builder().clock(time).ticker(time).groupWait(Duration.ZERO)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).queueCapacity(1)
        .sink(flaky).sink(stuck).meterRegistry(meters).build();
    try {
      int n = 0;
      for (String key : new String[] {"a", "b", "c"}) {
        m.fire(Alert.firing(key, AlertKind.CUSTOM, Severity.HIGH, "svc", key, "", time.instant()));
        m.evaluate();
        long delivered = ++n;
        await().atMost(Duration.ofSeconds(10)).until(() -> m.stats().get(0).delivered() == delivered);
      }
      assertThat(meters.get("riskmodules.alerts").tags("sink", "flaky", "outcome", "sent").functionCounter().count())
          .isEqualTo(3);
      assertThat(meters.get("riskmodules.alerts").tags("sink", "flaky", "outcome", "retried").functionCounter().count())
          .isEqualTo(1);
      assertThat(meters.get("riskmodules.alerts.delivery.latency").tag("sink", "flaky").timer().count()).isEqualTo(3);
      // stuck: one in flight, one queued, one dropped because the queue (capacity 1) was full
      assertThat(meters.get("riskmodules.alerts.queue.depth").tag("sink", "stuck").gauge().value()).isEqualTo(2);
      assertThat(meters.get("riskmodules.alerts")
          .tags("sink", "stuck", "outcome", "dropped", "reason", "queue_full").functionCounter().count()).isEqualTo(1);
      assertThat(meters.get("riskmodules.alerts")
          .tags("sink", "manager", "outcome", "dropped", "reason", "inbox_full").functionCounter().count()).isZero();
    } finally {
      release.countDown();
      m.close(Duration.ofSeconds(2));
    }
    assertThat(meters.find("riskmodules.alerts").meters()).isEmpty(); // a closed manager leaves no meters
  }
}
