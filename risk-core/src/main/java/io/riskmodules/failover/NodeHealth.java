package io.riskmodules.failover;

/** What active health checks say of a node. */
public enum NodeHealth {
  /** Not probed yet, or no checker: the node counts as available. */
  UNKNOWN,
  /** {@code healthy_threshold} good probes in a row. */
  UP,
  /** {@code unhealthy_threshold} failed probes in a row: no traffic until it is UP again. */
  DOWN
}
