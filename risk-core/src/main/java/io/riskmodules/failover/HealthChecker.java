package io.riskmodules.failover;

import io.riskmodules.breaker.Subscription;
import io.riskmodules.failover.internal.NodeEntry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
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
 * <p>Thread-safe. Listeners run on the thread that finished the round that changed a node's health.
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

  /** Runs a probe round every {@code interval_seconds} on {@code scheduler} until {@link #close()}. */
  public void start(ScheduledExecutorService scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
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
  public void close() {
    ScheduledFuture<?> s = schedule;
    if (s != null) {
      s.cancel(false);
    }
  }

  /** Probes every node once, all at once, and returns when every probe has answered or timed out. */
  public void probeAll() {
    List<CompletableFuture<Void>> probes = new ArrayList<>(entries.size());
    for (NodeEntry entry : entries) {
      HttpRequest request = HttpRequest.newBuilder(entry.node.uri(config.endpoint()))
          .timeout(config.timeout()).GET().build();
      probes.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .handle((response, error) -> {
            if (error != null) {
              record(entry, false, "no answer: " + describe(error));
            } else if (response.statusCode() / 100 == 2) {
              record(entry, true, "HTTP " + response.statusCode());
            } else {
              record(entry, false, "HTTP " + response.statusCode());
            }
            return null;
          }));
    }
    CompletableFuture.allOf(probes.toArray(new CompletableFuture<?>[0]))
        .orTimeout(config.timeout().plus(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> null)
        .join();
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
