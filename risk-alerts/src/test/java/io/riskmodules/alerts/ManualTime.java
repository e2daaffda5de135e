package io.riskmodules.alerts;

import io.riskmodules.breaker.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker and a wall clock that move together, only when told. */
public final class ManualTime extends Clock implements Ticker {

  private final AtomicLong nanos = new AtomicLong();
  private final Instant origin;

  public ManualTime() {
    this(Instant.parse("2026-12-01T09:00:00Z"));
  }

  public ManualTime(Instant origin) {
    this.origin = origin;
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long read() {
    return nanos.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(nanos.get());
  }
}
