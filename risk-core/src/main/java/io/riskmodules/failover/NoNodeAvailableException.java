package io.riskmodules.failover;

import java.util.List;

/**
 * No node of a group could take a call; the message says why for each node.
 *
 * <pre>{@code
 * no node of group 'inf' could take the call: inf-node-1 (primary): breaker OPEN, retry in 12 s;
 * inf-node-2 (secondary): health DOWN; inf-node-3 (secondary): failed: HTTP 500; inf-node-4 (standby): ...
 * }</pre>
 */
public final class NoNodeAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String group;
  private final List<String> reasons;

  /**
   * @param group the group's name
   * @param reasons one line per node, {@code "name (role): why"}
   * @param lastFailure the last call failure, if any node was tried
   */
  public NoNodeAvailableException(String group, List<String> reasons, Throwable lastFailure) {
    super("no node of group '" + group + "' could take the call: " + String.join("; ", reasons), lastFailure);
    this.group = group;
    this.reasons = List.copyOf(reasons);
  }

  /** The group's name. */
  public String group() {
    return group;
  }

  /** Why each node could not take the call. */
  public List<String> reasons() {
    return reasons;
  }
}
