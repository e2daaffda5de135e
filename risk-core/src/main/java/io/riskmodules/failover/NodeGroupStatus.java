package io.riskmodules.failover;

import java.util.List;

/**
 * A snapshot of a {@link NodeGroup}, in the style of the breaker's status: records of plain values.
 *
 * @param name the group's name
 * @param nodes each node, in the order they were given
 */
public record NodeGroupStatus(String name, List<NodeStatus> nodes) {}
