package io.riskmodules.alerts.internal;

import io.micrometer.core.instrument.Timer;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.DeliveryException;
import io.riskmodules.alerts.DropReason;
import io.riskmodules.alerts.Notification;
import io.riskmodules.alerts.Severity;
import io.riskmodules.alerts.SinkStats;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.Permit;
import io.riskmodules.breaker.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's bounded queue and worker thread. The queue holds notifications by severity; when it
 * is full the lowest severity goes first. The worker delivers one at a time through the sink's own
 * circuit breaker, retrying with exponential backoff and jitter. Every alert handed to
 * {@link #offer} is counted exactly once as delivered or dropped with a reason.
 *
 * <p>Backoff, pacing and the drain deadline are real time (the system ticker): they are waits of a
 * thread, not times of the alerts.
 */
final class SinkWorker {

  private static final Logger log = LoggerFactory.getLogger("io.riskmodules.alerts.delivery");
  private static final long MIN_BREAKER_WAIT = Duration.ofMillis(10).toNanos();

  private record Queued(Notification notification, int size, long enqueuedAt) {}

  private final AlertSink sink;
  private final String name;
  private final Settings settings;
  private final Ticker ticker = Ticker.system();
  private final CircuitBreaker breaker;
  private final Timer latency;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  @SuppressWarnings("unchecked")
  private final ArrayDeque<Queued>[] bySeverity = new ArrayDeque[Severity.values().length];
  // Guarded by lock.
  private int queuedNotifications;
  private long queuedAlerts;
  private Queued inFlight;
  private boolean shuttingDown;
  private boolean disabled;

  private final AtomicLong routed = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final Map<DropReason, AtomicLong> dropped = new EnumMap<>(DropReason.class);

  private long nextStartAllowed = Long.MIN_VALUE; // worker thread only

  SinkWorker(Settings.Route route, Settings settings, Meters meters) {
    this.sink = route.sink();
    this.name = sink.name();
    this.settings = settings;
    for (int i = 0; i < bySeverity.length; i++) {
      bySeverity[i] = new ArrayDeque<>();
    }
    for (DropReason r : DropReason.values()) {
      dropped.put(r, new AtomicLong());
    }
    this.breaker = CircuitBreaker.builder("alert-sink:" + name)
        .config(settings.sinkBreakerConfig()).eventExecutor(Runnable::run).build();
    this.latency = meters.bind(this);
    this.thread = new Thread(this::loop, "risk-alerts-sink-" + name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  String name() {
    return name;
  }

  long delivered() {
    return delivered.get();
  }

  long retried() {
    return retried.get();
  }

  long dropped(DropReason reason) {
    return dropped.get(reason).get();
  }

  long queued() {
    lock.lock();
    try {
      return queuedAlerts;
    } finally {
      lock.unlock();
    }
  }

  SinkStats stats() {
    Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
    dropped.forEach((r, n) -> {
      if (n.get() > 0) {
        d.put(r, n.get());
      }
    });
    lock.lock();
    try {
      return new SinkStats(name, routed.get(), delivered.get(), retried.get(), d, queuedAlerts, disabled);
    } finally {
      lock.unlock();
    }
  }

  /** Enqueues without blocking; called by the manager thread. */
  void offer(Notification n) {
    Queued q = new Queued(n, n.alerts().size(), ticker.read());
    routed.addAndGet(q.size);
    lock.lock();
    try {
      if (disabled) {
        drop(q, DropReason.SINK_DISABLED);
        return;
      }
      if (shuttingDown && !thread.isAlive()) {
        drop(q, DropReason.SHUTDOWN);
        return;
      }
      int severity = n.highestSeverity().ordinal();
      if (queuedNotifications >= settings.queueCapacity()) {
        int lowest = bySeverity.length - 1;
        while (bySeverity[lowest].isEmpty()) {
          lowest--;
        }
        if (lowest <= severity) {
          drop(q, DropReason.QUEUE_FULL); // nothing queued is less urgent than the newcomer
          return;
        }
        Queued evicted = bySeverity[lowest].pollFirst();
        queuedNotifications--;
        queuedAlerts -= evicted.size;
        drop(evicted, DropReason.QUEUE_FULL);
      }
      bySeverity[severity].addLast(q);
      queuedNotifications++;
      queuedAlerts += q.size;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  private void drop(Queued q, DropReason reason) {
    long total = dropped.get(reason).addAndGet(q.size);
    boolean flood = reason == DropReason.QUEUE_FULL || reason == DropReason.SHUTDOWN || reason == DropReason.SINK_DISABLED;
    // A flood is logged on powers of two of its running total, each line giving the total.
    if (!flood || Long.highestOneBit(total) > total - q.size) {
      log.warn("alert sink {}: dropped {} alert(s), reason {} ({} so far): {}",
          name, q.size, reason.value(), total, q.notification().summary());
    }
  }

  private void loop() {
    while (true) {
      Queued q;
      lock.lock();
      try {
        while (queuedNotifications == 0) {
          if (shuttingDown) {
            return;
          }
          changed.awaitUninterruptibly();
        }
        q = pollMostSevere();
        inFlight = q;
      } finally {
        lock.unlock();
      }
      DropReason outcome = deliver(q);
      lock.lock();
      try {
        if (inFlight == q) { // else the drain deadline counted it already
          inFlight = null;
          queuedAlerts -= q.size;
          if (outcome == null) {
            delivered.addAndGet(q.size);
            Meters.record(latency, ticker.read() - q.enqueuedAt);
          } else {
            drop(q, outcome);
          }
        }
        if (disabled) {
          dropAllQueued(DropReason.SINK_DISABLED);
        }
      } finally {
        lock.unlock();
      }
      if (Thread.interrupted() && shuttingDownNow()) {
        return;
      }
    }
  }

  private boolean shuttingDownNow() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  private Queued pollMostSevere() {
    for (ArrayDeque<Queued> d : bySeverity) {
      Queued q = d.pollFirst();
      if (q != null) {
        queuedNotifications--;
        return q;
      }
    }
    throw new IllegalStateException("queue count and queues disagree");
  }

  private void dropAllQueued(DropReason reason) {
    for (ArrayDeque<Queued> d : bySeverity) {
      for (Queued q; (q = d.pollFirst()) != null; ) {
        queuedNotifications--;
        queuedAlerts -= q.size;
        drop(q, reason);
      }
    }
  }

  /** Delivers with retries; null when delivered, else why it was dropped. */
  private DropReason deliver(Queued q) {
    int attempt = 0;
    while (true) {
      if (isDisabled()) {
        return DropReason.SINK_DISABLED;
      }
      if (!parkUntil(nextStartAllowed)) {
        return DropReason.SHUTDOWN;
      }
      Optional<Permit> maybe = breaker.tryAcquirePermit();
      if (maybe.isEmpty()) {
        // The sink's breaker is open: wait for it instead of calling a receiver known to fail.
        long wait = Math.max(MIN_BREAKER_WAIT, breaker.remainingOpenTime().toNanos());
        if (!parkUntil(ticker.read() + wait)) {
          return DropReason.SHUTDOWN;
        }
        continue;
      }
      Permit permit = maybe.get();
      attempt++;
      long start = ticker.read();
      nextStartAllowed = start + sink.minInterval().toNanos();
      Duration retryAfter = null;
      String failure;
      try {
        sink.deliver(q.notification());
        permit.onSuccess(ticker.read() - start);
        return null;
      } catch (DeliveryException e) {
        switch (e.action()) {
          case DROP -> {
            permit.onSuccess(ticker.read() - start); // the receiver answered: it is up
            log.error("alert sink {}: permanent error, {} alert(s) dropped: {}", name, q.size, e.getMessage());
            return DropReason.PERMANENT_ERROR;
          }
          case DISABLE_SINK -> {
            permit.onSuccess(ticker.read() - start);
            disable(e.getMessage());
            return DropReason.SINK_DISABLED;
          }
          default -> {
            permit.onFailure(ticker.read() - start);
            retryAfter = e.retryAfter().orElse(null);
            failure = e.getMessage();
          }
        }
      } catch (InterruptedException e) {
        permit.release();
        Thread.currentThread().interrupt();
        return DropReason.SHUTDOWN;
      } catch (Exception | LinkageError e) {
        permit.onFailure(ticker.read() - start);
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      if (Thread.currentThread().isInterrupted()) {
        return DropReason.SHUTDOWN;
      }
      if (attempt >= settings.maxAttempts()) {
        log.error("alert sink {}: gave up after {} attempt(s), {} alert(s) dropped; last error: {}",
            name, attempt, q.size, failure);
        return DropReason.GAVE_UP;
      }
      retried.incrementAndGet();
      long delay = backoffNanos(attempt, retryAfter);
      log.warn("alert sink {}: attempt {} failed ({}); retrying in {} ms", name, attempt, failure, delay / 1_000_000);
      if (!parkUntil(ticker.read() + delay)) {
        return DropReason.SHUTDOWN;
      }
    }
  }

  /** Exponential backoff with equal jitter; a receiver's Retry-After, capped, is a floor. */
  long backoffNanos(int attempt, Duration retryAfter) {
    long initial = settings.initialBackoff().toNanos();
    long max = settings.maxBackoff().toNanos();
    long exp = attempt >= 62 ? max : Math.min(max, initial << Math.min(attempt - 1, 30));
    if (exp <= 0) {
      exp = max;
    }
    long delay = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
    if (retryAfter != null && !retryAfter.isNegative()) {
      long asked = Math.min(retryAfter.toNanos(), settings.maxRetryAfter().toNanos());
      delay = Math.max(delay, asked);
    }
    return delay;
  }

  /** Parks until {@code deadline} on the system ticker; false if interrupted (shutdown). */
  private boolean parkUntil(long deadline) {
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      long left = deadline - ticker.read();
      if (deadline == Long.MIN_VALUE || left <= 0) {
        return true;
      }
      LockSupport.parkNanos(this, left);
    }
  }

  private boolean isDisabled() {
    lock.lock();
    try {
      return disabled;
    } finally {
      lock.unlock();
    }
  }

  private void disable(String why) {
    lock.lock();
    try {
      disabled = true;
    } finally {
      lock.unlock();
    }
    log.error("alert sink {} disabled: {}; its alerts are dropped from now on (reason {})",
        name, why, DropReason.SINK_DISABLED.value());
  }

  void shutdown() {
    lock.lock();
    try {
      shuttingDown = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the worker to drain until {@code deadline} (system nanos), then counts whatever is
   * left as dropped at shutdown and stops the thread.
   *
   * @return whether the queue drained before the deadline
   */
  boolean awaitTermination(long deadline) {
    long left = deadline - ticker.read();
    if (left > 0) {
      try {
        thread.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean drained;
    lock.lock();
    try {
      drained = queuedNotifications == 0 && inFlight == null;
      if (inFlight != null) {
        Queued q = inFlight;
        inFlight = null;
        queuedAlerts -= q.size;
        drop(q, DropReason.SHUTDOWN);
      }
      dropAllQueued(DropReason.SHUTDOWN);
    } finally {
      lock.unlock();
    }
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        log.warn("alert sink {}: its worker ignores interruption and is still running (daemon thread)", name);
      }
    }
    return drained;
  }

  boolean drained() {
    lock.lock();
    try {
      return queuedNotifications == 0 && inFlight == null;
    } finally {
      lock.unlock();
    }
  }
}
