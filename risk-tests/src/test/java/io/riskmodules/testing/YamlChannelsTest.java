package io.riskmodules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.config.AlertChannelConfig;
import io.riskmodules.config.ConfigLoader;
import io.riskmodules.config.RiskConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlChannelsTest {

  private static final Map<String, String> ENV = Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.invalid/x",
      "PAGERDUTY_KEY", "k");

  @Test
  void everyChannelOfTheRfcFileIsSwitchedOffAndNothingElseChanges() throws Exception {
    String rfc = Files.readString(Path.of("..", "examples", "config", "circuit_breaker_config.yaml"));

    String off = YamlChannels.disable(rfc);

    ConfigLoader loader = ConfigLoader.builder().environment(ENV).build();
    RiskConfig before = loader.parse("circuit_breaker_config.yaml", rfc);
    RiskConfig after = loader.parse("circuit_breaker_config.yaml", off);
    assertThat(before.alertChannels()).hasSize(3).allMatch(AlertChannelConfig::enabled);
    assertThat(after.alertChannels()).hasSize(3).noneMatch(AlertChannelConfig::enabled);
    assertThat(after.breakers()).hasToString(before.breakers().toString());
    assertThat(after.fallback()).hasToString(before.fallback().toString());
    assertThat(off.lines().filter(l -> !l.strip().equals("enabled: false")).toList())
        .isEqualTo(rfc.lines().toList());
  }

  @Test
  void flowStyleItemsAndExplicitEnabledKeysAreSwitchedOffToo() {
    String yaml = """
        alerts:
          channels:
            - {type: webhook, url: "https://example.invalid/h", enabled: true}
            - enabled: true
              type: slack
              webhook_url: "https://hooks.slack.invalid/x"
        fallback:
          cache_fallback:
            enabled: true
        """;

    RiskConfig c = ConfigLoader.builder().build().parse("c.yaml", YamlChannels.disable(yaml));

    assertThat(c.alertChannels()).hasSize(2).noneMatch(AlertChannelConfig::enabled);
    assertThat(YamlChannels.disable(yaml)).contains("cache_fallback:\n    enabled: true");
  }
}
