package io.riskmodules.examples.verify;

import io.riskmodules.alerts.Alert;
import io.riskmodules.breaker.CallEvent;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.Ticker;
import io.riskmodules.risk.RiskLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to one breaker during its verification, in milliseconds since the start: its
 * states, every call, the risk score at each metrics sample and the alerts. Thread-safe.
 */
final class Timeline {

  /** A span of time in one state. */
  record Band(String state, long fromMillis, long toMillis) {}

  /** A change of state, with the breaker's reason. */
  record Transition(long atMillis, String from, String to, String reason) {}

  /** One call through the breaker: {@code SUCCESS}, {@code FAILURE}, {@code IGNORED} or {@code REJECTED}. */
  record CallMark(long atMillis, String outcome, boolean slow) {}

  /** The risk assessor's reading at a metrics sample. */
  record RiskPoint(long atMillis, double score, String level) {}

  /** An alert as a sink received it: firing (at its start) or resolved (at its end). */
  record AlertMark(long atMillis, String key, String status, String severity) {}

  /** The finished timeline, as the reports show it. */
  record Data(long durationMillis, List<Band> states, List<Transition> transitions, List<CallMark> calls,
      List<RiskPoint> risk, List<AlertMark> alerts) {}

  private final Ticker ticker;
  private final long startNanos;
  private final Instant startInstant;
  private String state;
  private long stateSince;
  private final List<Band> bands = new ArrayList<>();
  private final List<Transition> transitions = new ArrayList<>();
  private final List<CallMark> calls = new ArrayList<>();
  private final List<RiskPoint> risk = new ArrayList<>();
  private final List<AlertMark> alerts = new ArrayList<>();

  Timeline(Ticker ticker, Instant startInstant, String initialState) {
    this.ticker = ticker;
    this.startNanos = ticker.read();
    this.startInstant = startInstant;
    this.state = initialState;
  }

  /** Milliseconds since the start. */
  long now() {
    return (ticker.read() - startNanos) / 1_000_000;
  }

  synchronized void transition(StateTransition t) {
    long at = now();
    bands.add(new Band(state, stateSince, at));
    transitions.add(new Transition(at, t.from().name(), t.to().name(), t.reason()));
    state = t.to().name();
    stateSince = at;
  }

  synchronized void call(CallEvent e) {
    calls.add(new CallMark(now(), e.outcome().name(), e.slow()));
  }

  synchronized void risk(double score, RiskLevel level) {
    risk.add(new RiskPoint(now(), Math.round(score * 10) / 10.0, level.name()));
  }

  synchronized void alert(Alert a) {
    Instant at = a.status() == Alert.Status.FIRING || a.endsAt() == null ? a.startsAt() : a.endsAt();
    alerts.add(new AlertMark(Math.max(0, Duration.between(startInstant, at).toMillis()), a.key(),
        a.status().name(), a.severity().name().toLowerCase(java.util.Locale.ROOT)));
  }

  synchronized List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  synchronized List<RiskPoint> riskPoints() {
    return List.copyOf(risk);
  }

  synchronized String lastReason() {
    return transitions.isEmpty() ? "" : transitions.get(transitions.size() - 1).reason();
  }

  synchronized Data finish() {
    long end = now();
    List<Band> all = new ArrayList<>(bands);
    all.add(new Band(state, stateSince, end));
    List<AlertMark> sorted = new ArrayList<>(alerts);
    sorted.sort(java.util.Comparator.comparingLong(AlertMark::atMillis));
    return new Data(end, List.copyOf(all), List.copyOf(transitions), List.copyOf(calls), List.copyOf(risk),
        List.copyOf(sorted));
  }
}
