package io.riskmodules.examples.node;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downstream services an INF node calls, simulated: each answers, fails or answers slowly as
 * the admin endpoint last said. Thread-safe.
 */
final class SimulatedDownstream {

  /** What a service does when called. */
  enum Mode {
    /** Answers at once. */
    OK,
    /** Throws, as a service that is down would. */
    FAIL,
    /** Answers after {@code latency_ms}. */
    SLOW;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Mode parse(String text) {
      for (Mode m : values()) {
        if (m.value().equals(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException("mode must be ok, fail or slow, was '" + text + "'");
    }
  }

  /** A fault as injected: the mode and, for SLOW, the latency. */
  record Fault(Mode mode, long latencyMillis) {
    static final Fault NONE = new Fault(Mode.OK, 0);
  }

  /** The failure a service in FAIL mode throws. */
  static final class DownstreamFailure extends RuntimeException {
    DownstreamFailure(String service) {
      super(service + " failed (injected fault)", null, false, false);
    }
  }

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> invocations = new ConcurrentHashMap<>();

  void inject(String service, Fault fault) {
    faults.put(service, fault);
  }

  Fault fault(String service) {
    return faults.getOrDefault(service, Fault.NONE);
  }

  /** How often each service was really invoked (rejected calls never reach it). */
  Map<String, Long> invocations() {
    Map<String, Long> out = new TreeMap<>();
    invocations.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Calls {@code service}: returns its answer or throws as its fault says. */
  String call(String service) {
    invocations.computeIfAbsent(service, s -> new AtomicLong()).incrementAndGet();
    Fault f = fault(service);
    switch (f.mode()) {
      case FAIL:
        throw new DownstreamFailure(service);
      case SLOW:
        try {
          Thread.sleep(f.latencyMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while " + service + " was slow", e);
        }
        return "ok";
      default:
        return "ok";
    }
  }
}
