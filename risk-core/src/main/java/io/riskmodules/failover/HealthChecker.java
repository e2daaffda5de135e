package io.riskmodules.failover;

import io.riskmodules.breaker.Subscription;
import io.riskmodules.failover.internal.NodeEntry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of a {@link NodeGroup}'s nodes: a GET of each node's {@code endpoint}, a
 * 2xx answer within {@code timeout_seconds} being a good probe. A node goes DOWN after {@code
 * unhealthy_threshold} failed probes in a row and UP after {@code healthy_threshold} good ones.
 *
 * <pre>{@code
 * HealthChecker checks = group.healthChecker().orElseThrow();
 * checks.onHealthChange(e -> alerts.nodeHealth(e));
 * checks.start(scheduler);        // a round every interval_seconds
 * checks.probeAll();              // or one round now, e.g. from a test
 * }</pre>
 *
 * <p>Thread-safe. Listeners run on the thread that completed the probe that changed a node's
 * health: one of the HTTP client's threads for an answer or a connection failure, the JDK's
 * {@link CompletableFuture} timeout thread for a probe that timed out, or the thread calling {@link
 * #probeAll()} if the probe could not be sent. Keep them short and non-blocking.
 */
public final class HealthChecker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private final List<NodeEntry> entries;
  private final HealthCheckConfig config;
  private final HttpClient client;
  private final Clock clock;
  private final List<Consumer<? super NodeHealthChanged>> listeners = new CopyOnWriteArrayList<>();
  private volatile ScheduledFuture<?> schedule;

  HealthChecker(List<NodeEntry> entries, HealthCheckConfig config, HttpClient client, Clock clock) {
    this.entries = entries;
    this.config = config;
    this.client = client;
    this.clock = clock;
  }

  /** The settings. */
  public HealthCheckConfig config() {
    return config;
  }

  /**
   * Runs a probe round every {@code interval_seconds} on {@code scheduler} until {@link #close()}.
   *
   * @throws IllegalStateException if already started and not closed since
   */
  public synchronized void start(ScheduledExecutorService scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    if (schedule != null) {
      throw new IllegalStateException("health checks already started; close() them before starting again");
    }
    long interval = config.interval().toMillis();
    schedule = scheduler.scheduleAtFixedRate(() -> {
      try {
        probeAll();
      } catch (RuntimeException e) {
        log.warn("health check round failed", e);
      }
    }, 0, interval, TimeUnit.MILLISECONDS);
  }

  /** Stops the scheduled rounds. */
  @Override
  public synchronized void close() {
    ScheduledFuture<?> s = schedule;
    if (s != null) {
      s.cancel(false);
      schedule = null;
    }
  }

  /**
   * Probes every node once, all at once, and returns when every probe has answered or timed out: a
   * probe without a whole answer (headers and body) within {@code timeout_seconds} failed, and its
   * request is cancelled.
   */
  public void probeAll() {
    long timeoutMillis = config.timeout().toMillis();
    List<CompletableFuture<?>> sent = new ArrayList<>(entries.size());
    List<CompletableFuture<Void>> probes = new ArrayList<>(entries.size());
    for (NodeEntry entry : entries) {
      try {
        HttpRequest request = HttpRequest.newBuilder(entry.node.uri(config.endpoint()))
            .timeout(config.timeout()).GET().build();
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        sent.add(response);
        probes.add(response.copy()
            .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
            .handle((answer, error) -> {
              if (error != null) {
                record(entry, false, "no answer: " + describe(error));
              } else if (answer.statusCode() / 100 == 2) {
                record(entry, true, "HTTP " + answer.statusCode());
              } else {
                record(entry, false, "HTTP " + answer.statusCode());
              }
              return null;
            }));
      } catch (RuntimeException e) {
        // The message may hold the node's URI; only the exception's type is recorded and logged.
        log.warn("health probe of node {} could not be sent: {}", entry.label(), e.getClass().getSimpleName());
        record(entry, false, "probe not sent: " + e.getClass().getSimpleName());
      }
    }
    try {
      CompletableFuture.allOf(probes.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null).join();
    } finally {
      for (CompletableFuture<?> response : sent) {
        response.cancel(true);
      }
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
  }

  private void record(NodeEntry entry, boolean good, String what) {
    NodeHealthChanged change = null;
    entry.probeLock.lock();
    try {
      entry.lastProbe = what;
      if (good) {
        entry.goodProbes++;
        entry.failedProbes = 0;
        if (entry.health != NodeHealth.UP && entry.goodProbes >= config.healthyThreshold()) {
          change = new NodeHealthChanged(entry.node, entry.health, NodeHealth.UP, clock.millis(),
              entry.goodProbes + " good probes: " + what);
          entry.health = NodeHealth.UP;
        }
      } else {
        entry.failedProbes++;
        entry.goodProbes = 0;
        if (entry.health != NodeHealth.DOWN && entry.failedProbes >= config.unhealthyThreshold()) {
          change = new NodeHealthChanged(entry.node, entry.health, NodeHealth.DOWN, clock.millis(),
              entry.failedProbes + " failed probes: " + what);
          entry.health = NodeHealth.DOWN;
        }
      }
    } finally {
      entry.probeLock.unlock();
    }
    if (change != null) {
      log.warn("node {} is {} ({})", entry.label(), change.to(), change.reason());
      for (Consumer<? super NodeHealthChanged> listener : listeners) {
        try {
          listener.accept(change);
        } catch (RuntimeException e) {
          log.warn("a health listener failed", e);
        }
      }
    }
  }

  /** The health of the node called {@code name}. */
  public NodeHealth health(String name) {
    for (NodeEntry entry : entries) {
      if (entry.node.name().equals(name)) {
        return entry.health;
      }
    }
    throw new IllegalArgumentException("no node called '" + name + "'");
  }

  /** Registers a listener for health changes. */
  public Subscription onHealthChange(Consumer<? super NodeHealthChanged> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }
}
