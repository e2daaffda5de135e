package io.riskmodules.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@code alerts.channels}. Secret fields are {@link Secret}s: they print as {@code
 * [secret]}.
 */
public sealed interface AlertChannelConfig {

  /** Severity words, most severe first. */
  List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");

  /** {@code type}: slack, pagerduty, email or webhook. */
  String type();

  /** {@code enabled} (default true); a disabled channel may name variables that are not set. */
  boolean enabled();

  /** {@code severity_filter}: the severities sent (default all). */
  Set<String> severityFilter();

  /**
   * Slack incoming webhook.
   *
   * @param webhookUrl {@code webhook_url} (secret)
   */
  record Slack(boolean enabled, Set<String> severityFilter, Secret webhookUrl) implements AlertChannelConfig {
    public Slack {
      severityFilter = Set.copyOf(severityFilter);
    }

    @Override
    public String type() {
      return "slack";
    }
  }

  /**
   * PagerDuty Events API v2.
   *
   * @param integrationKey {@code integration_key} (secret)
   * @param baseUrl {@code base_url} (default {@code https://events.pagerduty.com})
   */
  record PagerDuty(boolean enabled, Set<String> severityFilter, Secret integrationKey, String baseUrl)
      implements AlertChannelConfig {
    public PagerDuty {
      severityFilter = Set.copyOf(severityFilter);
    }

    @Override
    public String type() {
      return "pagerduty";
    }
  }

  /**
   * E-mail over SMTP.
   *
   * @param recipients {@code recipients}, at least one address
   * @param from {@code from} (default {@code risk-modules@localhost})
   * @param smtpHost {@code smtp_host} (default {@code localhost})
   * @param smtpPort {@code smtp_port} (default 587)
   * @param username {@code username} (optional; with a password)
   * @param password {@code password} (secret, optional; with a username)
   * @param startTls {@code starttls} (default true; false only for a loopback host or with ssl)
   * @param ssl {@code ssl}: TLS from the first byte (default false)
   */
  record Email(boolean enabled, Set<String> severityFilter, List<String> recipients, String from, String smtpHost,
      int smtpPort, String username, Secret password, boolean startTls, boolean ssl) implements AlertChannelConfig {
    public Email {
      severityFilter = Set.copyOf(severityFilter);
      recipients = List.copyOf(recipients);
      Objects.requireNonNull(from, "from");
    }

    @Override
    public String type() {
      return "email";
    }
  }

  /**
   * A generic JSON webhook.
   *
   * @param url {@code url} (secret: webhook URLs carry tokens)
   */
  record Webhook(boolean enabled, Set<String> severityFilter, Secret url) implements AlertChannelConfig {
    public Webhook {
      severityFilter = Set.copyOf(severityFilter);
    }

    @Override
    public String type() {
      return "webhook";
    }
  }
}
