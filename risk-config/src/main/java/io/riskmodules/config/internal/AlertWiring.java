package io.riskmodules.config.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Severity;
import io.riskmodules.alerts.sink.EmailSink;
import io.riskmodules.alerts.sink.PagerDutySink;
import io.riskmodules.alerts.sink.SlackSink;
import io.riskmodules.alerts.sink.WebhookSink;
import io.riskmodules.breaker.Ticker;
import io.riskmodules.config.AlertChannelConfig;
import io.riskmodules.config.AlertingConfig;
import io.riskmodules.config.InhibitRuleConfig;
import io.riskmodules.config.RiskConfig;
import io.riskmodules.risk.RiskLevel;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds the {@link AlertManager} that {@code alerts.channels} and {@code alerting} describe. */
public final class AlertWiring {

  /** A sink the embedding code adds to those of the file, with its severity filter. */
  public record ExtraSink(AlertSink sink, Set<Severity> severities) {}

  private AlertWiring() {}

  /** A new manager (its threads started): the caller closes it. */
  public static AlertManager build(RiskConfig config, List<ExtraSink> extra, Clock clock, Ticker ticker,
      MeterRegistry meters) {
    AlertManager.Builder b = AlertManager.builder().clock(clock);
    if (ticker != null) {
      b.ticker(ticker);
    }
    if (meters != null) {
      b.meterRegistry(meters);
    }
    Map<String, Integer> used = new HashMap<>();
    for (AlertChannelConfig channel : config.alertChannels()) {
      if (!channel.enabled()) {
        continue;
      }
      int n = used.merge(channel.type(), 1, Integer::sum);
      String name = n == 1 ? channel.type() : channel.type() + "-" + n;
      b.sink(sink(channel, name), severities(channel.severityFilter()));
    }
    for (ExtraSink e : extra) {
      b.sink(e.sink(), e.severities());
    }
    AlertingConfig a = config.alerting();
    b.groupWait(a.groupWait()).repeatInterval(a.repeatInterval()).resolveTimeout(a.resolveTimeout())
        .sendResolved(a.sendResolved());
    b.breakerOpenSeverity(severity(a.breakerOpen().severity()));
    a.breakerOpen().services().forEach((s, v) -> b.breakerOpenSeverity(s, severity(v)));
    b.forcedOpenSeverity(severity(a.breakerForcedOpen().severity()));
    a.breakerForcedOpen().services().forEach((s, v) -> b.forcedOpenSeverity(s, severity(v)));
    b.riskThreshold(level(a.riskThreshold()));
    a.riskSeverities().forEach((l, v) -> b.riskSeverity(level(l), severity(v)));
    a.riskSeveritiesByService().forEach((s, m) -> m.forEach((l, v) -> b.riskSeverity(s, level(l), severity(v))));
    b.clearInhibitions();
    for (InhibitRuleConfig rule : a.inhibit()) {
      b.inhibit(kind(rule.source()), kind(rule.target()));
    }
    return b.build();
  }

  private static AlertSink sink(AlertChannelConfig channel, String name) {
    if (channel instanceof AlertChannelConfig.Slack s) {
      return SlackSink.builder().name(name).webhookUrl(s.webhookUrl().reveal()).build();
    }
    if (channel instanceof AlertChannelConfig.PagerDuty p) {
      return PagerDutySink.builder().name(name).integrationKey(p.integrationKey().reveal()).baseUrl(p.baseUrl()).build();
    }
    if (channel instanceof AlertChannelConfig.Webhook w) {
      return WebhookSink.builder().name(name).url(w.url().reveal()).build();
    }
    AlertChannelConfig.Email e = (AlertChannelConfig.Email) channel;
    EmailSink.Builder eb = EmailSink.builder().name(name).host(e.smtpHost()).port(e.smtpPort()).from(e.from())
        .recipients(e.recipients()).startTls(e.startTls()).ssl(e.ssl());
    if (e.username() != null && e.password() != null) {
      eb.username(e.username()).password(e.password().reveal());
    }
    return eb.build();
  }

  static Set<Severity> severities(Set<String> words) {
    Set<Severity> out = EnumSet.noneOf(Severity.class);
    words.forEach(w -> out.add(severity(w)));
    return out;
  }

  static Severity severity(String word) {
    return Severity.valueOf(word.toUpperCase(Locale.ROOT));
  }

  static RiskLevel level(String word) {
    return RiskLevel.valueOf(word.toUpperCase(Locale.ROOT));
  }

  static AlertKind kind(String word) {
    return AlertKind.valueOf(word.toUpperCase(Locale.ROOT));
  }
}
