package io.riskmodules.failover;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.failover.internal.NodeEntry;
import io.riskmodules.failover.internal.SmoothWeightedRoundRobin;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Client-side failover across the nodes of RFC-136's INF cluster: each node has its own circuit
 * breaker (from the registry, named after the node), and each call goes to an available node.
 *
 * <pre>{@code
 * NodeGroup inf = NodeGroup.builder("inf", registry)
 *     .node(new Node("inf-node-1", NodeRole.PRIMARY, "10.0.1.10", 8080, 100))
 *     .node(new Node("inf-node-2", NodeRole.SECONDARY, "10.0.1.11", 8080, 100))
 *     .node(new Node("inf-node-3", NodeRole.SECONDARY, "10.0.1.12", 8080, 100))
 *     .node(new Node("inf-node-4", NodeRole.STANDBY, "10.0.1.13", 8080, 0))
 *     .healthChecks(HealthCheckConfig.ofDefaults())
 *     .build();
 * String quote = inf.callIdempotent(node -> http.send(get(node.uri("/quote")), ofString()).body());
 * }</pre>
 *
 * <p>A node is available when its breaker permits calls and its health is not DOWN. Calls are
 * spread over available primaries and secondaries by weight (smooth weighted round robin:
 * deterministic, interleaved); the standbys serve only when none of those is available. A call
 * refused by a node's breaker before it started moves on to the next node without counting as an
 * attempt; a call that ran and failed (even with a {@link CallNotPermittedException} of its own, e.g.
 * from a nested breaker) counts as an attempt and is retried on another node only through the
 * idempotent forms, up to {@code max_attempts} nodes. An {@link InterruptedException} from the call
 * is never retried: the thread's interrupt flag is set again and it is rethrown at once. Whenever
 * at least one call ran and failed, the caller gets the last failure, unwrapped, even when nodes ran
 * out before {@code max_attempts} (then with a {@link NoNodeAvailableException} saying why for each
 * node attached as suppressed); {@link NoNodeAvailableException} is thrown only when no call ran.
 * Thread-safe.
 */
public final class NodeGroup {

  private final String name;
  private final List<NodeEntry> entries;
  private final int[] weights;
  private final SmoothWeightedRoundRobin picker;
  private final int maxAttempts;
  private final HealthChecker healthChecker;

  private NodeGroup(Builder b) {
    this.name = b.name;
    List<NodeEntry> made = new ArrayList<>();
    for (Node node : b.nodes.values()) {
      made.add(new NodeEntry(node, b.registry.breaker(node.name())));
    }
    this.entries = List.copyOf(made);
    this.weights = new int[entries.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.max(1, entries.get(i).node.weight());
    }
    this.picker = new SmoothWeightedRoundRobin(entries.size());
    this.maxAttempts = b.maxAttempts;
    this.healthChecker = b.healthChecks == null ? null
        : new HealthChecker(entries, b.healthChecks,
            b.httpClient != null ? b.httpClient : HttpClient.newBuilder().connectTimeout(b.healthChecks.timeout()).build(),
            b.clock);
  }

  /** A builder for a group called {@code name} whose nodes' breakers come from {@code registry}. */
  public static Builder builder(String name, CircuitBreakerRegistry registry) {
    return new Builder(name, registry);
  }

  /** The group's name. */
  public String name() {
    return name;
  }

  /** The nodes, in the order given. */
  public List<Node> nodes() {
    return entries.stream().map(e -> e.node).toList();
  }

  /** The active health checker, if the group was built with {@code healthChecks}. */
  public Optional<HealthChecker> healthChecker() {
    return Optional.ofNullable(healthChecker);
  }

  /**
   * Calls one available node, through its breaker. A failure is not retried elsewhere (the call
   * may not be idempotent); a refusal by the node's breaker, before the call started, moves on to
   * the next node.
   *
   * @throws NoNodeAvailableException if no call ran: no node was available or every breaker refused
   * @throws InterruptedException if the call threw it; the interrupt flag is set again
   * @throws Exception what the call threw, unwrapped
   */
  public <T> T call(NodeCall<T> call) throws Exception {
    return invoke(call, 1);
  }

  /**
   * As {@link #call}, but a failed call is retried on other nodes, up to {@code max_attempts} nodes
   * (an {@link InterruptedException} excepted).
   *
   * @throws NoNodeAvailableException if no call ran: no node was available or every breaker refused
   * @throws Exception the last failure, unwrapped, if at least one call ran and failed; if nodes ran
   *     out before {@code max_attempts}, it carries a suppressed {@link NoNodeAvailableException}
   */
  public <T> T callIdempotent(NodeCall<T> call) throws Exception {
    return invoke(call, maxAttempts);
  }

  /** As {@link #call} for code without checked exceptions. */
  public <T> T execute(Function<Node, T> call) {
    try {
      return invoke(call::apply, 1);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("unreachable: a Function threw a checked exception", e);
    }
  }

  /** As {@link #execute(Function)}, answering with {@code fallback} when the call fails or no node is available. */
  public <T> T execute(Function<Node, T> call, Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(fallback, "fallback");
    try {
      return execute(call);
    } catch (RuntimeException e) {
      return fallback.apply(e);
    }
  }

  private <T> T invoke(NodeCall<T> call, int attemptsAllowed) throws Exception {
    Objects.requireNonNull(call, "call");
    Set<Integer> tried = new HashSet<>();
    Map<Integer, String> why = new LinkedHashMap<>();
    Exception lastFailure = null;
    int attempts = 0;
    while (attempts < attemptsAllowed) {
      int index = pick(tried, why);
      if (index < 0) {
        break;
      }
      tried.add(index);
      NodeEntry entry = entries.get(index);
      boolean[] started = new boolean[1];
      try {
        T result = entry.breaker.call(() -> {
          started[0] = true;
          return call.call(entry.node);
        });
        entry.served.increment();
        return result;
      } catch (Exception failure) {
        if (!started[0] && failure instanceof CallNotPermittedException refused) {
          why.put(index, "breaker " + refused.state() + (refused.state() == CircuitState.HALF_OPEN
              ? ", every probe permit taken" : ""));
          continue;
        }
        if (failure instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw failure;
        }
        attempts++;
        lastFailure = failure;
        why.put(index, "failed: " + failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : " " + failure.getMessage()));
      }
    }
    if (lastFailure == null) {
      throw new NoNodeAvailableException(name, reasons(why), null);
    }
    if (attempts < attemptsAllowed && !hasNoNodeAvailable(lastFailure)) {
      lastFailure.addSuppressed(new NoNodeAvailableException(name, reasons(why), null));
    }
    throw lastFailure;
  }

  /** Whether {@code failure} already carries a suppressed {@link NoNodeAvailableException} (the same instance thrown again). */
  private static boolean hasNoNodeAvailable(Throwable failure) {
    for (Throwable s : failure.getSuppressed()) {
      if (s instanceof NoNodeAvailableException) {
        return true;
      }
    }
    return false;
  }

  /** The next node to try among those not tried yet, recording why the others cannot be. */
  private int pick(Set<Integer> tried, Map<Integer, String> why) {
    List<Integer> active = new ArrayList<>();
    List<Integer> standby = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (tried.contains(i)) {
        continue;
      }
      String unavailable = unavailability(entries.get(i));
      if (unavailable != null) {
        why.put(i, unavailable);
      } else if (entries.get(i).node.role() == NodeRole.STANDBY) {
        standby.add(i);
      } else {
        active.add(i);
      }
    }
    return picker.pick(active.isEmpty() ? standby : active, weights);
  }

  /** Why a node cannot take a call now, or null if it can. */
  private static String unavailability(NodeEntry entry) {
    if (entry.health == NodeHealth.DOWN) {
      return "health DOWN (" + entry.lastProbe + ")";
    }
    CircuitState state = entry.breaker.state();
    if (state == CircuitState.OPEN) {
      long seconds = (entry.breaker.remainingOpenTime().toMillis() + 999) / 1000;
      return "breaker OPEN, retry in " + seconds + " s";
    }
    if (state == CircuitState.FORCED_OPEN) {
      return "breaker FORCED_OPEN";
    }
    return null;
  }

  private List<String> reasons(Map<Integer, String> why) {
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      NodeEntry entry = entries.get(i);
      String reason = why.get(i);
      if (reason == null) {
        reason = unavailability(entry);
      }
      if (reason == null) {
        reason = "not tried: attempts exhausted";
      }
      reasons.add(entry.label() + ": " + reason);
    }
    return reasons;
  }

  /** Each node's role, weight, breaker state, health, availability and calls served. */
  public NodeGroupStatus status() {
    List<NodeStatus> nodes = new ArrayList<>();
    for (NodeEntry e : entries) {
      Node n = e.node;
      nodes.add(new NodeStatus(n.name(), n.role(), n.host(), n.port(), n.weight(), e.breaker.state(), e.health,
          unavailability(e) == null, e.served.sum()));
    }
    return new NodeGroupStatus(name, List.copyOf(nodes));
  }

  /** Builds a {@link NodeGroup}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final CircuitBreakerRegistry registry;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private int maxAttempts = 3;
    private HealthCheckConfig healthChecks;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();

    Builder(String name, CircuitBreakerRegistry registry) {
      this.name = Objects.requireNonNull(name, "name");
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Adds a node; names must be unique. */
    public Builder node(Node node) {
      Objects.requireNonNull(node, "node");
      if (nodes.putIfAbsent(node.name(), node) != null) {
        throw new IllegalArgumentException("nodes[].name must be unique, '" + node.name() + "' appears twice");
      }
      return this;
    }

    /** Adds nodes in order. */
    public Builder nodes(List<Node> list) {
      list.forEach(this::node);
      return this;
    }

    /** Nodes an idempotent call may be tried on ({@code max_attempts}, default 3, at least 1). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("max_attempts must be at least 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Turns on active health checks with these settings (off by default). */
    public Builder healthChecks(HealthCheckConfig config) {
      this.healthChecks = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The HTTP client the health checks use (default: a new one). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The clock that stamps health events (default: UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @throws IllegalArgumentException if the group has no node */
    public NodeGroup build() {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("nodes must list at least one node, was empty");
      }
      return new NodeGroup(this);
    }
  }
}
