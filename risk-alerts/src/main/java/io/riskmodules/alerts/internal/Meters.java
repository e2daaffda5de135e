package io.riskmodules.alerts.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.riskmodules.alerts.DropReason;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The manager's Micrometer meters, read from the counters the workers keep anyway (function
 * counters), so that metering adds nothing to delivery. Without a registry, nothing is made.
 */
final class Meters {

  static final String ALERTS = "riskmodules.alerts";
  static final String QUEUE_DEPTH = "riskmodules.alerts.queue.depth";
  static final String LATENCY = "riskmodules.alerts.delivery.latency";

  private final MeterRegistry registry;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();

  Meters(MeterRegistry registry, AtomicLong inboxDropped) {
    this.registry = registry;
    if (registry != null) {
      meters.add(FunctionCounter.builder(ALERTS, inboxDropped, AtomicLong::doubleValue)
          .description("Alerts by sink and outcome (sent, retried, dropped by reason)")
          .tags("sink", "manager", "outcome", "dropped", "reason", DropReason.INBOX_FULL.value())
          .register(registry));
    }
  }

  /** The latency timer of {@code sink}, or null without a registry. */
  Timer bind(SinkWorker worker) {
    if (registry == null) {
      return null;
    }
    String sink = worker.name();
    meters.add(FunctionCounter.builder(ALERTS, worker, w -> w.delivered())
        .description("Alerts by sink and outcome (sent, retried, dropped by reason)")
        .tags("sink", sink, "outcome", "sent", "reason", "none").register(registry));
    meters.add(FunctionCounter.builder(ALERTS, worker, w -> w.retried())
        .description("Alerts by sink and outcome (sent, retried, dropped by reason)")
        .tags("sink", sink, "outcome", "retried", "reason", "none").register(registry));
    for (DropReason reason : DropReason.values()) {
      if (reason == DropReason.INBOX_FULL) {
        continue;
      }
      meters.add(FunctionCounter.builder(ALERTS, worker, w -> w.dropped(reason))
          .description("Alerts by sink and outcome (sent, retried, dropped by reason)")
          .tags("sink", sink, "outcome", "dropped", "reason", reason.value()).register(registry));
    }
    meters.add(Gauge.builder(QUEUE_DEPTH, worker, w -> w.queued())
        .description("Alerts waiting in the sink's queue or being delivered").tags("sink", sink).register(registry));
    Timer timer = Timer.builder(LATENCY)
        .description("From the manager handing a notification to the sink until the receiver accepted it")
        .tags("sink", sink).register(registry);
    meters.add(timer);
    return timer;
  }

  static void record(Timer timer, long nanos) {
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void close() {
    if (registry != null) {
      meters.forEach(registry::remove);
      meters.clear();
    }
  }
}
