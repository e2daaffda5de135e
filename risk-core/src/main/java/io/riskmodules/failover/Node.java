package io.riskmodules.failover;

import java.net.URI;
import java.util.Objects;

/**
 * One node of a {@link NodeGroup}: an entry of {@code deployment_config.yaml}'s {@code nodes}.
 *
 * <pre>{@code
 * Node primary = new Node("inf-node-1", NodeRole.PRIMARY, "10.0.1.10", 8080, 100);
 * URI health = primary.uri("/health");
 * }</pre>
 *
 * @param name unique in its group; also the name of its circuit breaker
 * @param role primary, secondary or standby
 * @param host host name or address
 * @param port from 1 to 65535
 * @param weight share of traffic among available primaries and secondaries (at least 1 for them;
 *     a standby may have 0)
 */
public record Node(String name, NodeRole role, String host, int port, int weight) {

  public Node {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(host, "host");
    if (name.isBlank()) {
      throw new IllegalArgumentException("nodes[].name must not be blank");
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("nodes[" + name + "].host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("nodes[" + name + "].port must be from 1 to 65535, was " + port);
    }
    if (weight < 0 || weight > 1_000_000) {
      throw new IllegalArgumentException("nodes[" + name + "].weight must be from 0 to 1000000, was " + weight);
    }
    if (weight == 0 && role != NodeRole.STANDBY) {
      throw new IllegalArgumentException("nodes[" + name + "].weight must be at least 1 for a " + role.value()
          + " node, was 0");
    }
  }

  /** {@code http://host:port} followed by {@code path}. */
  public URI uri(String path) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port + (path.startsWith("/") ? path : "/" + path));
  }
}
