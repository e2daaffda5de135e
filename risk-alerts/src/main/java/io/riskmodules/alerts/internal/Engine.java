package io.riskmodules.alerts.internal;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.DropReason;
import io.riskmodules.alerts.Notification;
import io.riskmodules.alerts.Severity;
import io.riskmodules.alerts.SinkStats;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.RegistryEvent;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.Subscription;
import io.riskmodules.risk.RiskAssessor;
import io.riskmodules.risk.RiskLevel;
import io.riskmodules.risk.RiskLevelChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert manager's machinery. Listeners only offer events to a bounded inbox (the caller's
 * whole cost); one manager thread, or whoever calls {@link #evaluate()}, turns them into alert
 * state under a lock no caller ever takes, and hands due notifications to the sink workers.
 */
public final class Engine {

  private static final Logger log = LoggerFactory.getLogger("io.riskmodules.alerts.AlertManager");
  private static final Comparator<Alert> MOST_SEVERE_FIRST =
      Comparator.comparing(Alert::severity).thenComparing(Alert::key);

  private final Settings settings;
  private final Inbox inbox;
  private final AtomicLong inboxDropped = new AtomicLong();
  private final List<SinkWorker> workers = new ArrayList<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  // Set while the manager thread parks with an empty inbox: the next raiser unparks it. While it
  // is busy it drains every millisecond and raisers pay only the enqueue.
  private volatile boolean sleeping;
  private final Thread thread;
  private final Meters meters;
  private volatile boolean closed;

  // Guarded by lock.
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final java.util.function.Consumer<Object> handler = this::handle;
  private long groupDueAt = Long.MAX_VALUE;
  private boolean flushAll;

  /** The state of one alert key. */
  private static final class Entry {
    Alert alert;
    boolean dirty;
    long notifiedSinks; // bit i: route i was sent this alert firing
    long lastSentAt;
    long lastSeenAt; // for the resolve timeout of application alerts
    Entry(Alert alert) {
      this.alert = alert;
    }
  }

  private record ResolveKey(String key) {}

  private record ResolveSource(String source) {}

  public Engine(Settings settings) {
    if (settings.routes().size() > 64) {
      throw new IllegalArgumentException("an alert manager takes at most 64 sinks, was " + settings.routes().size());
    }
    this.settings = settings;
    this.inbox = new Inbox(settings.inboxCapacity());
    this.meters = new Meters(settings.meterRegistry(), inboxDropped);
    for (Settings.Route route : settings.routes()) {
      workers.add(new SinkWorker(route, settings, meters));
    }
    this.thread = new Thread(this::loop, "risk-alerts-manager");
    thread.setDaemon(true);
    thread.start();
    workers.forEach(SinkWorker::start);
  }

  // ---- caller side: offer only ----

  private void offer(Object event) {
    if (closed) {
      return;
    }
    if (inbox.offer(event)) {
      if (sleeping) {
        sleeping = false;
        LockSupport.unpark(thread);
      }
    } else {
      long n = inboxDropped.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1, 2, 4, 8...: logged, not flooded
        log.error("alert manager inbox full ({} events): {} event(s) dropped so far, reason {}",
            settings.inboxCapacity(), n, DropReason.INBOX_FULL.value());
      }
    }
  }

  public Subscription attach(CircuitBreakerRegistry registry) {
    // Watching starts on the registry's own thread (creating a breaker is no hot path), so no
    // transition of a new breaker is missed.
    Map<CircuitBreaker, Subscription> watched = new ConcurrentHashMap<>();
    Subscription events = registry.onEvent(e -> {
      if (closed) {
        return;
      }
      if (e instanceof RegistryEvent.Added a) {
        watched.computeIfAbsent(a.breaker(), this::watch);
      } else if (e instanceof RegistryEvent.Removed r) {
        Subscription s = watched.remove(r.breaker());
        if (s != null) {
          s.close();
        }
        offer(new ResolveSource(r.breaker().name()));
      }
    });
    for (CircuitBreaker b : registry.all()) {
      watched.computeIfAbsent(b, this::watch);
    }
    Subscription s = () -> {
      events.close();
      watched.values().forEach(Subscription::close);
      watched.clear();
    };
    subscriptions.add(s);
    return s;
  }

  public Subscription attach(CircuitBreaker breaker) {
    Subscription s = watch(breaker);
    subscriptions.add(s);
    return s;
  }

  private Subscription watch(CircuitBreaker breaker) {
    Subscription s = breaker.onStateChange(this::offer);
    CircuitState now = breaker.state();
    if (now == CircuitState.OPEN || now == CircuitState.FORCED_OPEN) {
      offer(new StateTransition(breaker.name(), CircuitState.CLOSED, now, settings.clock().millis(), 0, "state when attached"));
    }
    return s;
  }

  public Subscription attach(RiskAssessor assessor) {
    Subscription s = assessor.onLevelChange(this::offer);
    subscriptions.add(s);
    return s;
  }

  public void fire(Alert alert) {
    offer(alert);
  }

  public void resolve(String key) {
    offer(new ResolveKey(key));
  }

  public long inboxDropped() {
    return inboxDropped.get();
  }

  // ---- manager side ----

  private void loop() {
    long interval = settings.evaluationInterval().toNanos();
    long linger = Math.min(interval, 1_000_000L);
    while (!closed) {
      int handled = 0;
      long untilDue;
      lock.lock();
      try {
        handled = evaluateLocked();
        untilDue = groupDueAt == Long.MAX_VALUE ? interval : groupDueAt - settings.ticker().read();
      } catch (RuntimeException | Error e) {
        log.error("alert manager evaluation failed; continuing", e);
        untilDue = interval;
      } finally {
        lock.unlock();
      }
      long wait = Math.max(1_000_000L, Math.min(interval, untilDue));
      if (handled > 0) {
        // Busy: more events are likely. Drain again soon, without asking raisers to wake us.
        LockSupport.parkNanos(this, Math.min(wait, linger));
        continue;
      }
      sleeping = true;
      if (inbox.isEmpty() && !closed) {
        LockSupport.parkNanos(this, wait);
      }
      sleeping = false;
    }
  }

  public void evaluate() {
    lock.lock();
    try {
      evaluateLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Handles every event in the inbox and sends what is due; returns how many events it handled. */
  private int evaluateLocked() {
    int handled = inbox.drain(handler);
    long now = settings.ticker().read();
    long repeat = settings.repeatInterval().toNanos();
    long resolveTimeout = settings.resolveTimeout().toNanos();
    for (Entry entry : entries.values()) {
      Alert a = entry.alert;
      if (!a.isFiring()) {
        continue;
      }
      if (a.kind() == AlertKind.CUSTOM && now - entry.lastSeenAt >= resolveTimeout) {
        markResolved(entry, now);
      } else if (entry.notifiedSinks != 0 && !entry.dirty && now - entry.lastSentAt >= repeat) {
        markDirty(entry, now);
      }
    }
    if (flushAll || now - groupDueAt >= 0) {
      flush(now);
    }
    return handled;
  }

  private void handle(Object e) {
    if (e instanceof StateTransition t) {
      onTransition(t);
    } else if (e instanceof RiskLevelChanged r) {
      onRisk(r);
    } else if (e instanceof Alert a) {
      onCustom(a);
    } else if (e instanceof ResolveKey r) {
      Entry entry = entries.get(r.key());
      if (entry != null && entry.alert.isFiring()) {
        markResolved(entry, settings.ticker().read());
      }
    } else if (e instanceof ResolveSource r) {
      resolveSource(r.source());
    }
  }

  private void onTransition(StateTransition t) {
    String name = t.breakerName();
    long now = settings.ticker().read();
    if (t.from() == CircuitState.FORCED_OPEN || t.to() != CircuitState.FORCED_OPEN) {
      resolveKey(key(AlertKind.BREAKER_FORCED_OPEN, name), now, t.epochMillis());
    }
    switch (t.to()) {
      case OPEN -> {
        if (!firing(key(AlertKind.BREAKER_OPEN, name))) { // HALF_OPEN -> OPEN: the same alert, nothing to build
          raise(AlertKind.BREAKER_OPEN, name, settings.openSeverity(name),
              "Circuit breaker " + name + " is open",
              "Calls to " + name + " are rejected: " + t.reason() + ".", labels(t), now, t.epochMillis());
        }
      }
      case FORCED_OPEN -> {
        resolveKey(key(AlertKind.BREAKER_OPEN, name), now, t.epochMillis());
        if (!firing(key(AlertKind.BREAKER_FORCED_OPEN, name))) {
          raise(AlertKind.BREAKER_FORCED_OPEN, name, settings.forcedSeverity(name),
              "Circuit breaker " + name + " forced open by an operator",
              "Calls to " + name + " are rejected until the breaker is reset.", labels(t), now, t.epochMillis());
        }
      }
      case CLOSED, DISABLED, METRICS_ONLY -> resolveKey(key(AlertKind.BREAKER_OPEN, name), now, t.epochMillis());
      case HALF_OPEN -> { } // still failing until it closes
    }
  }

  private static Map<String, String> labels(StateTransition t) {
    return Map.of("service", t.breakerName(), "state", t.to().value(), "reason", t.reason());
  }

  private boolean firing(String key) {
    Entry e = entries.get(key);
    return e != null && e.alert.isFiring();
  }

  private void onRisk(RiskLevelChanged r) {
    long now = settings.ticker().read();
    String name = r.name();
    if (r.to().compareTo(settings.riskThreshold()) >= 0) {
      RiskLevel level = r.to();
      double score = r.assessment() == null ? Double.NaN : r.assessment().score();
      raise(AlertKind.RISK_HIGH, name, settings.riskSeverity(name, level),
          "Risk of " + name + " is " + level.severity(),
          String.format(java.util.Locale.ROOT, "Risk score %.1f (level %s, was %s).", score, level.severity(), r.from().severity()),
          Map.of("service", name, "level", level.severity()), now, at(r));
    } else {
      resolveKey(key(AlertKind.RISK_HIGH, name), now, at(r));
    }
  }

  private long at(RiskLevelChanged r) {
    return r.assessment() == null ? settings.clock().millis() : r.assessment().epochMillis();
  }

  private void onCustom(Alert a) {
    long now = settings.ticker().read();
    if (!a.isFiring()) {
      resolveKey(a.key(), now);
      return;
    }
    Entry entry = entries.get(a.key());
    if (entry == null || !entry.alert.isFiring()) {
      entry = new Entry(a);
      entries.put(a.key(), entry);
      markDirty(entry, now);
    } else if (changed(entry.alert, a)) {
      entry.alert = new Alert(a.key(), a.kind(), a.severity(), a.source(), a.title(), a.details(),
          Alert.Status.FIRING, entry.alert.startsAt(), null, a.labels());
      markDirty(entry, now);
    }
    entry.lastSeenAt = now;
  }

  private static boolean changed(Alert before, Alert after) {
    return before.severity() != after.severity() || !before.title().equals(after.title())
        || !before.details().equals(after.details());
  }

  private static String key(AlertKind kind, String source) {
    return switch (kind) {
      case BREAKER_OPEN -> "breaker_open:" + source;
      case BREAKER_FORCED_OPEN -> "breaker_forced_open:" + source;
      case RISK_HIGH -> "risk_high:" + source;
      case CUSTOM -> "custom:" + source;
    };
  }

  private void raise(AlertKind kind, String source, Severity severity, String title, String details,
      Map<String, String> labels, long now, long atMillis) {
    String key = key(kind, source);
    Entry entry = entries.get(key);
    if (entry != null && entry.alert.isFiring()) {
      if (entry.alert.severity() != severity) { // risk moved between HIGH and CRITICAL
        entry.alert = new Alert(key, kind, severity, source, title, details, Alert.Status.FIRING,
            entry.alert.startsAt(), null, labels);
        markDirty(entry, now);
      }
      return; // the same alert again: deduplicated
    }
    Alert alert = new Alert(key, kind, severity, source, title, details, Alert.Status.FIRING,
        Instant.ofEpochMilli(atMillis), null, labels);
    if (entry == null) {
      entry = new Entry(alert);
      entries.put(key, entry);
    } else {
      // resolved but not yet sent, and firing again: the resolution is never sent (flap within a group)
      entry.alert = alert;
    }
    markDirty(entry, now);
  }

  private void resolveKey(String key, long now) {
    resolveKey(key, now, settings.clock().millis());
  }

  private void resolveKey(String key, long now, long atMillis) {
    Entry entry = entries.get(key);
    if (entry != null && entry.alert.isFiring()) {
      markResolved(entry, now, atMillis);
    }
  }

  private void resolveSource(String source) {
    long now = settings.ticker().read();
    for (Entry entry : entries.values()) {
      if (entry.alert.source().equals(source) && entry.alert.kind() != AlertKind.CUSTOM && entry.alert.isFiring()) {
        markResolved(entry, now);
      }
    }
  }

  private void markResolved(Entry entry, long now) {
    markResolved(entry, now, settings.clock().millis());
  }

  private void markResolved(Entry entry, long now, long atMillis) {
    Instant end = Instant.ofEpochMilli(Math.max(atMillis, entry.alert.startsAt().toEpochMilli()));
    entry.alert = entry.alert.resolvedAt(end);
    markDirty(entry, now);
    // alerts it held back may now be sent
    for (Entry other : entries.values()) {
      if (other.alert.isFiring() && other.notifiedSinks == 0 && inhibits(entry.alert.kind(), other.alert)) {
        markDirty(other, now);
      }
    }
  }

  private void markDirty(Entry entry, long now) {
    entry.dirty = true;
    if (groupDueAt == Long.MAX_VALUE) {
      groupDueAt = now + settings.groupWait().toNanos();
    }
  }

  private boolean inhibits(AlertKind source, Alert target) {
    for (Settings.Inhibition i : settings.inhibitions()) {
      if (i.source() == source && i.target() == target.kind()) {
        return true;
      }
    }
    return false;
  }

  private boolean inhibited(Alert a) {
    for (Settings.Inhibition i : settings.inhibitions()) {
      if (i.target() == a.kind()) {
        Entry src = entries.get(key(i.source(), a.source()));
        if (src != null && src.alert.isFiring()) {
          return true;
        }
      }
    }
    return false;
  }

  private void flush(long now) {
    groupDueAt = Long.MAX_VALUE;
    flushAll = false;
    List<Settings.Route> routes = settings.routes();
    List<List<Alert>> perSink = new ArrayList<>(routes.size());
    for (int i = 0; i < routes.size(); i++) {
      perSink.add(new ArrayList<>());
    }
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (!entry.dirty) {
        continue;
      }
      entry.dirty = false;
      Alert a = entry.alert;
      if (a.isFiring()) {
        if (inhibited(a)) {
          continue; // sent when its inhibitor resolves, if it still fires then
        }
        for (int i = 0; i < routes.size(); i++) {
          if (routes.get(i).severityFilter().contains(a.severity())) {
            perSink.get(i).add(a);
            entry.notifiedSinks |= 1L << i;
          }
        }
        entry.lastSentAt = now;
      } else {
        if (settings.sendResolved()) {
          for (int i = 0; i < routes.size(); i++) {
            if ((entry.notifiedSinks & (1L << i)) != 0) {
              perSink.get(i).add(a);
            }
          }
        }
        it.remove();
      }
    }
    Instant at = Instant.ofEpochMilli(settings.clock().millis());
    int max = settings.maxAlertsPerNotification();
    for (int i = 0; i < routes.size(); i++) {
      List<Alert> alerts = perSink.get(i);
      if (alerts.isEmpty()) {
        continue;
      }
      alerts.sort(MOST_SEVERE_FIRST);
      for (int from = 0; from < alerts.size(); from += max) {
        workers.get(i).offer(new Notification(alerts.subList(from, Math.min(alerts.size(), from + max)), at));
      }
    }
  }

  public List<Alert> active() {
    lock.lock();
    try {
      return entries.values().stream().map(e -> e.alert).filter(Alert::isFiring).sorted(MOST_SEVERE_FIRST).toList();
    } finally {
      lock.unlock();
    }
  }

  public List<SinkStats> stats() {
    return workers.stream().map(SinkWorker::stats).toList();
  }

  public boolean close(Duration timeout) {
    lock.lock();
    try {
      if (closed) {
        return workers.stream().allMatch(SinkWorker::drained);
      }
      closed = true;
      subscriptions.forEach(Subscription::close);
      flushAll = true;
      evaluateLocked();
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(thread);
    long deadline = System.nanoTime() + timeout.toNanos();
    workers.forEach(SinkWorker::shutdown);
    boolean drained = true;
    for (SinkWorker w : workers) {
      drained &= w.awaitTermination(deadline);
    }
    meters.close();
    return drained;
  }

  public String describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    Map<String, Object> sinks = new LinkedHashMap<>();
    for (Settings.Route r : settings.routes()) {
      sinks.put(r.sink().name(), r.severityFilter().stream().sorted().map(Severity::value).toList());
    }
    d.put("sinks", sinks);
    d.put("groupWait", settings.groupWait());
    d.put("repeatInterval", settings.repeatInterval());
    d.put("resolveTimeout", settings.resolveTimeout());
    d.put("closed", closed);
    return d.toString();
  }

}
