package io.riskmodules.examples.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.riskmodules.config.ConfigLoader;
import io.riskmodules.config.RiskConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files' alert channels: used when their variables are set, otherwise skipped and said so. */
class ChannelsTest {

  private static final String CHANNELS = """
      alerts:
        channels:
          - type: webhook
            url: "${HOOK_URL}"
          - type: slack
            webhook_url: "${SLACK_WEBHOOK_URL}"
            severity_filter: ["critical"]
          - type: pagerduty
            integration_key: "${PD_KEY:-not-a-real-key}"
            enabled: false
          - type: email
            recipients: ["oncall@example.com"]
      """;

  @Test
  void aChannelIsUsedOnlyWhenEveryVariableItNamesIsSet(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("cb.yaml"), CHANNELS);
    Path work = Files.createDirectory(dir.resolve("work"));

    Channels.Selection auto = Channels.select(List.of(file), Map.of("HOOK_URL", "http://127.0.0.1:9/x")::get,
        Channels.Mode.AUTO, work);

    assertThat(auto.channels()).containsExactly(
        new Channels.Use("webhook", true, "HOOK_URL is set"),
        new Channels.Use("slack", false, "SLACK_WEBHOOK_URL is not set"),
        new Channels.Use("pagerduty", false, "enabled: false in the file"),
        new Channels.Use("email", false, "names no ${VARIABLE} to switch it on; --channels all sends to it"));
    // the copy the runtime loads has the skipped channels switched off, and loads without their variables
    RiskConfig loaded = ConfigLoader.builder().environment(Map.of("HOOK_URL", "http://127.0.0.1:9/x")).build()
        .load(auto.files().get(0));
    assertThat(loaded.alertChannels()).extracting(c -> c.type() + "=" + c.enabled())
        .containsExactly("webhook=true", "slack=false", "pagerduty=false", "email=false");

    Channels.Selection none = Channels.select(List.of(file), Map.of("HOOK_URL", "x")::get, Channels.Mode.NONE, work);
    assertThat(none.channels()).extracting(Channels.Use::used).containsOnly(false);
    Channels.Selection all = Channels.select(List.of(file), Map.<String, String>of()::get, Channels.Mode.ALL, work);
    assertThat(all.files()).containsExactly(file); // nothing switched off: the file as written
  }

  @Test
  void theRunSendsTheAlertsToAChannelWhoseVariableIsSet(@TempDir Path dir) throws IOException {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Connection", "close"); // no idle connection for the client to find stale
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    hook.start();
    try {
      Path config = Files.createDirectory(dir.resolve("config"));
      Files.writeString(config.resolve("cb.yaml"), "circuit_breaker:\n  services:\n    orders_service:\n"
          + "      failure_threshold: 4\n" + CHANNELS);
      String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

      int status = VerifyCommand.run(List.of("--config", config.toString()), out, out, Map.of("HOOK_URL", url)::get);

      String output = bytes.toString(StandardCharsets.UTF_8);
      assertThat(status).as(output).isZero();
      assertThat(output).contains("alert channels: console; webhook used (HOOK_URL is set); slack skipped"
          + " (SLACK_WEBHOOK_URL is not set)").doesNotContain(url);
      // closing the runtime drains the channels: every notification has arrived when the run returns
      assertThat(String.join("\n", bodies)).as(output).contains("\"key\":\"breaker_open:orders_service\"", "\"status\":\"firing\"",
          "\"status\":\"resolved\"");
    } finally {
      hook.stop(0);
    }
  }
}
