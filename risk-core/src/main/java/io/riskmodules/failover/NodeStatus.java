package io.riskmodules.failover;

import io.riskmodules.breaker.CircuitState;

/**
 * One node of a group, as plain values for JSON.
 *
 * @param name the node's name (and its breaker's)
 * @param role primary, secondary or standby
 * @param host its host
 * @param port its port
 * @param weight its weight
 * @param breakerState its breaker's state
 * @param health what active health checks say
 * @param available whether the group would send it a call now
 * @param callsServed calls it answered successfully through the group
 */
public record NodeStatus(
    String name, NodeRole role, String host, int port, int weight, CircuitState breakerState,
    NodeHealth health, boolean available, long callsServed) {}
