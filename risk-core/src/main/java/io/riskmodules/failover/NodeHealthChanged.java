package io.riskmodules.failover;

/**
 * A node's health changed: an event for listeners such as the alert manager.
 *
 * @param node the node
 * @param from its health before
 * @param to its health now
 * @param epochMillis when, in milliseconds since the epoch
 * @param reason the probes that decided it, for example {@code "3 failed probes: HTTP 500"}
 */
public record NodeHealthChanged(Node node, NodeHealth from, NodeHealth to, long epochMillis, String reason) {}
