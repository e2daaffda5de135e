package io.riskmodules.alerts.sink;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.DeliveryException;
import io.riskmodules.alerts.Notification;
import io.riskmodules.alerts.internal.Json;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends each notification as one e-mail over SMTP (Jakarta Mail, Eclipse Angus): a plain-text and
 * an HTML part, the subject being the notification's summary. STARTTLS is required by default;
 * only a loopback server may be reached without it (or use implicit TLS, {@link Builder#ssl}).
 * Connect, read and write timeouts are always set. A connection or I/O failure and an SMTP 4xx
 * answer are retried; refused authentication, refused recipients and SMTP 5xx are permanent.
 *
 * <pre>{@code
 * AlertSink mail = EmailSink.builder().host("smtp.example.com").port(587)
 *     .username("alerts").password(System.getenv("SMTP_PASSWORD"))
 *     .from("risk@example.com").recipients(List.of("oncall@company.com")).build();
 * }</pre>
 *
 * <p>The password is a secret: it never appears in {@code toString()}, logs or exceptions.
 * Thread-safe (one SMTP connection per notification).
 */
public final class EmailSink implements AlertSink {

  private final String name;
  private final String host;
  private final int port;
  private final String username;
  private final String password;
  private final boolean ssl;
  private final boolean startTls;
  private final InternetAddress from;
  private final List<InternetAddress> recipients;
  private final String subjectPrefix;
  private final Session session;

  private EmailSink(Builder b) {
    this.name = b.name;
    this.host = b.host;
    this.port = b.port;
    this.username = b.username;
    this.password = b.password;
    this.ssl = b.ssl;
    this.startTls = b.startTls;
    this.from = address("email from", b.from);
    List<InternetAddress> to = new ArrayList<>();
    for (String r : b.recipients) {
      to.add(address("email recipients", r));
    }
    this.recipients = List.copyOf(to);
    this.subjectPrefix = b.subjectPrefix;
    String protocol = ssl ? "smtps" : "smtp";
    Properties p = new Properties();
    p.put("mail.transport.protocol", protocol);
    p.put("mail." + protocol + ".host", host);
    p.put("mail." + protocol + ".port", Integer.toString(port));
    p.put("mail." + protocol + ".connectiontimeout", Long.toString(b.connectTimeout.toMillis()));
    p.put("mail." + protocol + ".timeout", Long.toString(b.readTimeout.toMillis()));
    p.put("mail." + protocol + ".writetimeout", Long.toString(b.writeTimeout.toMillis()));
    p.put("mail." + protocol + ".auth", Boolean.toString(username != null));
    if (!ssl && startTls) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (ssl || startTls) {
      p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
    }
    this.session = Session.getInstance(p);
  }

  /** A builder; host, from and recipients are required. */
  public static Builder builder() {
    return new Builder();
  }

  private static InternetAddress address(String field, String value) {
    try {
      InternetAddress a = new InternetAddress(value, true);
      a.validate();
      return a;
    } catch (AddressException e) {
      throw new IllegalArgumentException(field + " must be valid e-mail addresses, was " + value, null);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(Notification n) throws DeliveryException {
    try {
      MimeMessage m = message(n);
      try (Transport t = session.getTransport(ssl ? "smtps" : "smtp")) {
        t.connect(host, port, username, password);
        t.sendMessage(m, m.getAllRecipients());
      }
    } catch (AuthenticationFailedException e) {
      throw DeliveryException.permanent(name + ": SMTP authentication failed");
    } catch (SMTPSendFailedException e) {
      int code = e.getReturnCode();
      String message = name + ": SMTP " + code;
      throw code >= 400 && code < 500 ? DeliveryException.retryable(message, null) : DeliveryException.permanent(message);
    } catch (SendFailedException e) {
      throw DeliveryException.permanent(name + ": recipients refused");
    } catch (MessagingException e) {
      // Connection refused, timeouts, a STARTTLS the server does not offer: transient or not,
      // the class name says which without the server's words.
      throw DeliveryException.retryable(name + ": " + e.getClass().getSimpleName()
          + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getSimpleName() + ")"), null);
    }
  }

  MimeMessage message(Notification n) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(from);
    m.setRecipients(Message.RecipientType.TO, recipients.toArray(InternetAddress[]::new));
    m.setSubject(subjectPrefix + n.summary(), StandardCharsets.UTF_8.name());
    m.setSentDate(Date.from(n.createdAt()));
    MimeBodyPart text = new MimeBodyPart();
    text.setText(plain(n), StandardCharsets.UTF_8.name(), "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(html(n), StandardCharsets.UTF_8.name(), "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    m.setContent(alternative);
    return m;
  }

  static String plain(Notification n) {
    StringBuilder sb = new StringBuilder(n.summary()).append("\n\n");
    for (Alert a : n.alerts()) {
      sb.append(a.isFiring() ? "FIRING " : "RESOLVED ").append(a.severity().value().toUpperCase(Locale.ROOT))
          .append(": ").append(a.title()).append('\n');
      if (!a.details().isEmpty()) {
        sb.append("  ").append(a.details()).append('\n');
      }
      sb.append("  source: ").append(a.source()).append(", key: ").append(a.key())
          .append(", since: ").append(Json.time(a.startsAt()));
      if (a.endsAt() != null) {
        sb.append(", resolved: ").append(Json.time(a.endsAt()));
      }
      sb.append("\n\n");
    }
    return sb.toString();
  }

  static String html(Notification n) {
    StringBuilder sb = new StringBuilder("<html><body><h2>").append(esc(n.summary())).append("</h2><table border=\"1\" cellpadding=\"4\">")
        .append("<tr><th>status</th><th>severity</th><th>alert</th><th>source</th><th>since</th><th>resolved</th></tr>");
    for (Alert a : n.alerts()) {
      sb.append("<tr><td>").append(a.isFiring() ? "firing" : "resolved")
          .append("</td><td>").append(esc(a.severity().value()))
          .append("</td><td><b>").append(esc(a.title())).append("</b><br>").append(esc(a.details()))
          .append("</td><td>").append(esc(a.source()))
          .append("</td><td>").append(Json.time(a.startsAt()))
          .append("</td><td>").append(a.endsAt() == null ? "" : Json.time(a.endsAt()))
          .append("</td></tr>");
    }
    return sb.append("</table></body></html>").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Server, sender and recipients; never the password. */
  @Override
  public String toString() {
    return "EmailSink[name=" + name + ", host=" + host + ", port=" + port + ", ssl=" + ssl + ", startTls=" + startTls
        + ", username=" + username + ", password=" + (password == null ? "none" : "<secret>")
        + ", from=" + from + ", recipients=" + recipients + "]";
  }

  /** Configures an {@link EmailSink}. Not thread-safe. */
  public static final class Builder {
    private String name = "email";
    private String host;
    private int port = 587;
    private String username;
    private String password;
    private boolean ssl;
    private boolean startTls = true;
    private String from;
    private final List<String> recipients = new ArrayList<>();
    private String subjectPrefix = "[risk-modules] ";
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration writeTimeout = Duration.ofSeconds(10);

    Builder() {}

    /** The SMTP server's host name. Required. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("email smtp_host must not be blank");
      }
      this.host = host.strip();
      return this;
    }

    /** The SMTP port; default 587 (submission). */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("email smtp_port must be in [1, 65535], was " + port);
      }
      this.port = port;
      return this;
    }

    /** User and password for SMTP AUTH; default none (no authentication). */
    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /** The SMTP password, a secret. */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Implicit TLS (SMTPS, usually port 465) instead of STARTTLS; default false. */
    public Builder ssl(boolean ssl) {
      this.ssl = ssl;
      return this;
    }

    /**
     * Whether STARTTLS is required; default true. Turning it off (without {@link #ssl}) is
     * allowed only for a loopback server, so a password never crosses a network in clear.
     */
    public Builder startTls(boolean required) {
      this.startTls = required;
      return this;
    }

    /** The sender address. Required. */
    public Builder from(String address) {
      this.from = Objects.requireNonNull(address, "from");
      return this;
    }

    /** Adds recipients (the RFC's {@code recipients}). At least one is required. */
    public Builder recipients(List<String> addresses) {
      addresses.forEach(a -> recipients.add(Objects.requireNonNull(a, "recipient")));
      return this;
    }

    /** Adds one recipient. */
    public Builder recipient(String address) {
      recipients.add(Objects.requireNonNull(address, "recipient"));
      return this;
    }

    /** Text put before each subject; default {@code "[risk-modules] "}. */
    public Builder subjectPrefix(String prefix) {
      this.subjectPrefix = Objects.requireNonNull(prefix, "subjectPrefix");
      return this;
    }

    /** The sink's name in logs and meters; default {@code email}. */
    public Builder name(String name) {
      this.name = Sinks.requireName(name);
      return this;
    }

    /** TCP connect timeout; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = io.riskmodules.alerts.internal.Http.requireTimeout("email connect_timeout", timeout);
      return this;
    }

    /** Socket read timeout; default 10 s. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = io.riskmodules.alerts.internal.Http.requireTimeout("email read_timeout", timeout);
      return this;
    }

    /** Socket write timeout; default 10 s. */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = io.riskmodules.alerts.internal.Http.requireTimeout("email write_timeout", timeout);
      return this;
    }

    /** Validates and builds. */
    public EmailSink build() {
      if (host == null) {
        throw new IllegalArgumentException("email smtp_host is required");
      }
      if (from == null) {
        throw new IllegalArgumentException("email from is required");
      }
      if (recipients.isEmpty()) {
        throw new IllegalArgumentException("email recipients must name at least one address");
      }
      if ((username == null) != (password == null)) {
        throw new IllegalArgumentException("email username and password go together: set both or neither");
      }
      if (!ssl && !startTls && !io.riskmodules.alerts.internal.Http.isLoopbackHost(host)) {
        throw new IllegalArgumentException(
            "email starttls may be off only for a loopback smtp_host (or use ssl), was " + host);
      }
      return new EmailSink(this);
    }
  }
}
