package io.riskmodules.failover;

import java.net.URI;
import java.net.URISyntaxException;
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
 * @param host host name or address only: no user info, port or path
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
    if (!isPlainHost(host, port)) {
      // The value is not echoed: it may hold user info (a password) or other secrets.
      throw new IllegalArgumentException("nodes[" + name + "].host must be a host name or an IP address only"
          + " (no user info, port, path or characters illegal in a URI)");
    }
    if (weight < 0 || weight > 1_000_000) {
      throw new IllegalArgumentException("nodes[" + name + "].weight must be from 0 to 1000000, was " + weight);
    }
    if (weight == 0 && role != NodeRole.STANDBY) {
      throw new IllegalArgumentException("nodes[" + name + "].weight must be at least 1 for a " + role.value()
          + " node, was 0");
    }
  }

  /** Whether {@code http://host:port/} is a URI whose host is exactly {@code host}. */
  private static boolean isPlainHost(String host, int port) {
    if (host.indexOf('@') >= 0) {
      return false;
    }
    URI uri;
    try {
      uri = new URI("http://" + bracketed(host) + ":" + port + "/");
    } catch (URISyntaxException e) {
      return false;
    }
    return uri.getRawUserInfo() == null && uri.getHost() != null && uri.getHost().equalsIgnoreCase(bracketed(host))
        && uri.getPort() == port && "/".equals(uri.getRawPath());
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** {@code http://host:port} followed by {@code path}. */
  public URI uri(String path) {
    return URI.create("http://" + bracketed(host) + ":" + port + (path.startsWith("/") ? path : "/" + path));
  }
}
