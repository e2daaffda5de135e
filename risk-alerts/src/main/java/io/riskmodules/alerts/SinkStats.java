package io.riskmodules.alerts;

import java.util.Map;

/**
 * What happened to the alerts routed to one sink, counted per alert (a notification of three
 * alerts delivered counts three). Once the manager is closed,
 * {@code routed == delivered + dropped total + queued} with {@code queued == 0}.
 *
 * @param sink the sink's name
 * @param routed alerts handed to the sink's queue (including those dropped at once because it was full)
 * @param delivered alerts the receiver accepted
 * @param retried failed attempts that were retried (per notification)
 * @param dropped alerts dropped, by reason
 * @param queued alerts waiting in the queue or being delivered now
 * @param disabled whether the sink has been disabled
 */
public record SinkStats(
    String sink, long routed, long delivered, long retried, Map<DropReason, Long> dropped, long queued, boolean disabled) {

  /** Copies. */
  public SinkStats {
    dropped = Map.copyOf(dropped);
  }

  /** All dropped alerts, whatever the reason. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Dropped alerts for {@code reason}. */
  public long dropped(DropReason reason) {
    return dropped.getOrDefault(reason, 0L);
  }
}
