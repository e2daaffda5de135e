package io.riskmodules.testing;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Notification;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An {@link AlertSink} that keeps every notification it receives, for tests.
 *
 * <pre>{@code
 * RecordingAlertSink sink = new RecordingAlertSink();
 * AlertManager alerts = AlertManager.builder().sink(sink).ticker(clock).clock(clock).build();
 * ...
 * Alert open = sink.await(key("breaker_open:payment_service").and(firing()), Duration.ofSeconds(5));
 * assertThat(sink).hasFiring("breaker_open:payment_service");
 * }</pre>
 *
 * <p>The alert manager delivers on the sink's own worker thread, so what a test caused arrives a
 * moment later: the {@code await} methods wait for it in real time (returning as soon as it is
 * there), and the sink's assertions do the same for what they expect to find. It can also fail
 * its next deliveries, to test retries. Thread-safe.
 */
public final class RecordingAlertSink implements AlertSink {

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition delivered = lock.newCondition();
  private final List<Notification> notifications = new ArrayList<>();
  private final Deque<Supplier<? extends Exception>> failures = new ArrayDeque<>();
  private long failedDeliveries;

  /** A sink called {@code recording}. */
  public RecordingAlertSink() {
    this("recording");
  }

  /** A sink called {@code name} (unique within an alert manager). */
  public RecordingAlertSink(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public String name() {
    return name;
  }

  /** Records {@code notification}, or throws if told to fail this delivery. */
  @Override
  public void deliver(Notification notification) throws Exception {
    Supplier<? extends Exception> failure;
    lock.lock();
    try {
      failure = failures.poll();
      if (failure == null) {
        notifications.add(notification);
      } else {
        failedDeliveries++;
      }
      delivered.signalAll();
    } finally {
      lock.unlock();
    }
    if (failure != null) {
      throw failure.get();
    }
  }

  /** The next {@code n} deliveries throw what {@code failure} makes (e.g. a {@code DeliveryException}). */
  public RecordingAlertSink failNext(int n, Supplier<? extends Exception> failure) {
    Objects.requireNonNull(failure, "failure");
    lock.lock();
    try {
      for (int i = 0; i < n; i++) {
        failures.add(failure);
      }
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Deliveries refused with {@link #failNext}. */
  public long failedDeliveries() {
    lock.lock();
    try {
      return failedDeliveries;
    } finally {
      lock.unlock();
    }
  }

  /** Every notification received, oldest first: a snapshot. */
  public List<Notification> notifications() {
    lock.lock();
    try {
      return List.copyOf(notifications);
    } finally {
      lock.unlock();
    }
  }

  /** Every alert of every notification, in the order received: a snapshot. */
  public List<Alert> alerts() {
    return alerts(AlertMatchers.any());
  }

  /** The alerts received that match {@code matcher}, in the order received. */
  public List<Alert> alerts(Predicate<? super Alert> matcher) {
    List<Alert> out = new ArrayList<>();
    for (Notification n : notifications()) {
      for (Alert a : n.alerts()) {
        if (matcher.test(a)) {
          out.add(a);
        }
      }
    }
    return out;
  }

  /** The last alert received with {@code key} (firing or resolved: what the receiver last heard of it). */
  public Optional<Alert> last(String key) {
    List<Alert> matching = alerts(AlertMatchers.key(key));
    return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
  }

  /** Keys whose last alert received was firing: what the receiver believes fires now. */
  public List<String> firingKeys() {
    java.util.LinkedHashMap<String, Alert> last = new java.util.LinkedHashMap<>();
    for (Alert a : alerts()) {
      last.remove(a.key());
      last.put(a.key(), a);
    }
    return last.values().stream().filter(Alert::isFiring).map(Alert::key).toList();
  }

  /**
   * Waits, in real time, until an alert matching {@code matcher} has been received.
   *
   * @return the first such alert
   * @throws AssertionError naming what was received instead, if none came within {@code timeout}
   */
  public Alert await(Predicate<? super Alert> matcher, Duration timeout) {
    Optional<Alert> found = awaitOptional(matcher, timeout);
    if (found.isEmpty()) {
      throw new AssertionError("no matching alert within " + timeout + "; " + Describe.notifications(notifications()));
    }
    return found.get();
  }

  /** As {@link #await}, returning empty instead of failing. */
  public Optional<Alert> awaitOptional(Predicate<? super Alert> matcher, Duration timeout) {
    Objects.requireNonNull(matcher, "matcher");
    boolean found = awaitCondition(() -> alertsUnlocked(matcher).isPresent(), timeout);
    return found ? alerts(matcher).stream().findFirst() : Optional.empty();
  }

  /**
   * Waits, in real time, until at least {@code n} notifications have been received.
   *
   * @return them all
   * @throws AssertionError if fewer came within {@code timeout}
   */
  public List<Notification> awaitNotifications(int n, Duration timeout) {
    if (!awaitCondition(() -> notifications.size() >= n, timeout)) {
      throw new AssertionError("expected at least " + n + " notification(s) within " + timeout + "; "
          + Describe.notifications(notifications()));
    }
    return notifications();
  }

  /** Forgets everything received (not the failures queued). */
  public void clear() {
    lock.lock();
    try {
      notifications.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Holds the lock while {@code holds} is checked; returns whether it came true in time. */
  boolean awaitCondition(java.util.function.BooleanSupplier holds, Duration timeout) {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!holds.getAsBoolean()) {
        if (left <= 0) {
          return false;
        }
        try {
          left = delivered.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Called with the lock held. */
  private Optional<Alert> alertsUnlocked(Predicate<? super Alert> matcher) {
    for (Notification n : notifications) {
      for (Alert a : n.alerts()) {
        if (matcher.test(a)) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  /** Called with the lock held. */
  Optional<Alert> lastUnlocked(String key) {
    Alert last = null;
    for (Notification n : notifications) {
      for (Alert a : n.alerts()) {
        if (a.key().equals(key)) {
          last = a;
        }
      }
    }
    return Optional.ofNullable(last);
  }

  @Override
  public String toString() {
    return "RecordingAlertSink[" + name + ", " + notifications().size() + " notification(s)]";
  }
}
