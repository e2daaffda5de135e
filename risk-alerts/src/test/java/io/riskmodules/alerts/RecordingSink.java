package io.riskmodules.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every notification it is given; never fails. */
public final class RecordingSink implements AlertSink {

  private final String name;
  private final List<Notification> received = new CopyOnWriteArrayList<>();

  public RecordingSink(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(Notification notification) {
    received.add(notification);
  }

  public List<Notification> notifications() {
    return List.copyOf(received);
  }

  /** Every alert received, in order, as "STATUS key severity". */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Notification n : received) {
      for (Alert a : n.alerts()) {
        lines.add(a.status() + " " + a.key() + " " + a.severity().value());
      }
    }
    return lines;
  }
}
