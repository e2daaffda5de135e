package io.riskmodules.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The example files of the project ({@code examples/config}), which the RFC's files are copied to verbatim. */
final class Examples {

  static final Map<String, String> ENV = Map.of(
      "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXXSECRET",
      "PAGERDUTY_KEY", "pd-routing-key-SECRET");

  private Examples() {}

  static Path dir() {
    Path p = Path.of("..", "examples", "config").toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      p = Path.of("examples", "config").toAbsolutePath().normalize();
    }
    return p;
  }

  static Path breakers() {
    return dir().resolve("circuit_breaker_config.yaml");
  }

  static Path deployment() {
    return dir().resolve("deployment_config.yaml");
  }

  static Path alerts() {
    return dir().resolve("alert_config.yaml");
  }

  static String text(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ConfigLoader loader() {
    return ConfigLoader.builder().environment(ENV).build();
  }
}
