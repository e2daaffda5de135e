package io.riskmodules.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.DropReason;
import io.riskmodules.alerts.ManualTime;
import io.riskmodules.alerts.Severity;
import io.riskmodules.alerts.SinkStats;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The e-mail sink against GreenMail, a real SMTP server on 127.0.0.1. */
class EmailSinkTest {

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", "S3cretSmtpPass"));

  private final ManualTime time = new ManualTime();
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
      .clock(time).ticker(time).eventExecutor(Runnable::run).build();
  private AlertManager manager;

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close(Duration.ofSeconds(2));
    }
  }

  private EmailSink.Builder sink() {
    return EmailSink.builder().host("127.0.0.1").port(smtp.getSmtp().getPort()).startTls(false)
        .username("alerts").password("S3cretSmtpPass")
        .from("risk@example.com").recipients(List.of("oncall@company.com", "sre@company.com"))
        .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).writeTimeout(Duration.ofSeconds(5));
  }

  private void start(EmailSink sink) {
    manager = AlertManager.builder().clock(time).ticker(time).groupWait(Duration.ZERO).maxAttempts(3)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .breakerOpenSeverity("payment_service", Severity.CRITICAL).sink(sink).build();
    manager.attach(registry);
  }

  private void awaitSettled(long routed) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      SinkStats s = manager.stats().get(0);
      return s.routed() == routed && s.queued() == 0;
    });
  }

  @Test
  void aNotificationArrivesAsOneMailWithPlainTextAndHtml() throws Exception {
    start(sink().build());
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    manager.evaluate();
    awaitSettled(1);
    assertThat(manager.stats().get(0).delivered()).isEqualTo(1);
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(2); // one per recipient mailbox
    MimeMessage m = received[0];
    assertThat(m.getSubject()).isEqualTo("[risk-modules] [FIRING:1] critical: Circuit breaker payment_service is open");
    assertThat(m.getFrom()[0].toString()).isEqualTo("risk@example.com");
    assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("oncall@company.com", "sre@company.com");
    MimeMultipart parts = (MimeMultipart) m.getContent();
    assertThat(parts.getContentType()).startsWith("multipart/alternative");
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo("""
        [FIRING:1] critical: Circuit breaker payment_service is open

        FIRING CRITICAL: Circuit breaker payment_service is open
          Calls to payment_service are rejected: opened by operator.
          source: payment_service, key: breaker_open:payment_service, since: 2026-12-01T09:00:00Z

        """);
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains("<b>Circuit breaker payment_service is open</b>").contains("<td>critical</td>");
  }

  @Test
  void aRefusedPasswordIsAPermanentError() {
    start(sink().password("wrong").build());
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    manager.evaluate();
    awaitSettled(1);
    assertThat(manager.stats().get(0).dropped()).isEqualTo(Map.of(DropReason.PERMANENT_ERROR, 1L));
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void requiredStartTlsIsNeverSkippedWhenTheServerDoesNotOfferIt() {
    start(sink().startTls(true).build()); // GreenMail's plain SMTP offers no STARTTLS
    registry.breaker("payment_service").transitionTo(CircuitState.OPEN);
    manager.evaluate();
    awaitSettled(1);
    assertThat(manager.stats().get(0).dropped()).isEqualTo(Map.of(DropReason.GAVE_UP, 1L));
    assertThat(smtp.getReceivedMessages()).isEmpty(); // nothing, and no password, went in clear
  }

  @Test
  void theBuilderRefusesCleartextToARemoteServerAndHidesThePassword() {
    assertThatThrownBy(() -> EmailSink.builder().host("smtp.example.com").startTls(false)
        .from("a@example.com").recipient("b@example.com").build())
        .hasMessage("email starttls may be off only for a loopback smtp_host (or use ssl), was smtp.example.com");
    assertThatThrownBy(() -> EmailSink.builder().host("smtp.example.com").from("a@example.com").build())
        .hasMessage("email recipients must name at least one address");
    assertThatThrownBy(() -> EmailSink.builder().host("smtp.example.com").from("a@example.com").recipient("not an address").build())
        .hasMessage("email recipients must be valid e-mail addresses, was not an address");
    assertThat(sink().build().toString()).doesNotContain("S3cretSmtpPass").contains("password=<secret>");
  }
}
