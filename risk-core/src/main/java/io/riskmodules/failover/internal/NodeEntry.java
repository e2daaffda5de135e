package io.riskmodules.failover.internal;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.failover.Node;
import io.riskmodules.failover.NodeHealth;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/** A node with its breaker, its health as probes see it, and what it served. */
public final class NodeEntry {
  public final Node node;
  public final CircuitBreaker breaker;
  public final LongAdder served = new LongAdder();
  /** Guards the probe counters; held only to update them, never around a probe or a call. */
  public final ReentrantLock probeLock = new ReentrantLock();
  public volatile NodeHealth health = NodeHealth.UNKNOWN;
  public int goodProbes;
  public int failedProbes;
  public volatile String lastProbe = "not probed";

  public NodeEntry(Node node, CircuitBreaker breaker) {
    this.node = node;
    this.breaker = breaker;
  }

  /** {@code "inf-node-1 (primary)"}. */
  public String label() {
    return node.name() + " (" + node.role().value() + ")";
  }
}
