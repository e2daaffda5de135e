package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** ${VAR} and ${VAR:-fallback} from an injectable environment; secrets never shown. */
class EnvironmentTest {

  private static final String SECRET_URL = "https://hooks.slack.com/services/T1/B1/TOPSECRET";

  private static RiskConfig load(Map<String, String> env, String yaml) {
    return ConfigLoader.builder().environment(env).build().parse("c.yaml", yaml);
  }

  @Test
  void variablesAndFallbacks() {
    RiskConfig c = load(Map.of("HOOK", SECRET_URL, "FT", "4"), """
        circuit_breaker:
          default:
            failure_threshold: ${FT}
            timeout_seconds: ${OPEN_FOR:-45s}
        alerts:
          channels:
            - type: slack
              webhook_url: ${HOOK}
            - type: pagerduty
              integration_key: "key-${PD_SUFFIX:-default}"
        """);
    assertThat(c.breakers().defaults().failureThreshold()).isEqualTo(4);
    assertThat(c.breakers().defaults().openTimeout()).hasSeconds(45);
    assertThat(((AlertChannelConfig.Slack) c.alertChannels().get(0)).webhookUrl().reveal()).isEqualTo(SECRET_URL);
    assertThat(((AlertChannelConfig.PagerDuty) c.alertChannels().get(1)).integrationKey().reveal())
        .isEqualTo("key-default");
  }

  @Test
  void aMissingVariableNamesTheKeyPath() {
    assertThatThrownBy(() -> ConfigLoader.builder().environment(Map.of("PAGERDUTY_KEY", "k")).build()
        .load(Examples.breakers()))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("circuit_breaker_config.yaml:47:7 alerts.channels[0].webhook_url: environment variable"
            + " SLACK_WEBHOOK_URL is not set (write ${SLACK_WEBHOOK_URL:-fallback} for a default)");
  }

  @Test
  void aDisabledChannelMayNameMissingVariables() {
    RiskConfig c = load(Map.of(), """
        alerts:
          channels:
            - type: slack
              enabled: false
              webhook_url: ${SLACK_WEBHOOK_URL}
        """);
    assertThat(c.alertChannels()).singleElement().matches(ch -> !ch.enabled());
  }

  @Test
  void secretsAreRedactedInToStringAndErrors() {
    RiskConfig c = load(Map.of("HOOK", SECRET_URL), """
        alerts:
          channels:
            - type: slack
              webhook_url: ${HOOK}
            - type: email
              recipients: [a@b.c]
              username: alerts
              password: hunter2-TOPSECRET
        """);
    assertThat(c.toString()).doesNotContain("TOPSECRET").contains("webhookUrl=[secret]", "password=[secret]");
    assertThat(Secret.of("x")).hasToString("[secret]");
    // a secret with a wrong shape is reported without its value
    assertThatThrownBy(() -> load(Map.of("HOOK", SECRET_URL), """
        alerts:
          channels:
            - type: slack
              webhook_url: ["${HOOK}", TOPSECRET]
        """)).isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("TOPSECRET")
        .hasMessageContaining("alerts.channels[0].webhook_url: must be a string, was a list");
    assertThatThrownBy(() -> load(Map.of("HOOK", ""), """
        alerts:
          channels:
            - type: slack
              webhook_url: ${HOOK}
        """)).hasMessageContaining("alerts.channels[0].webhook_url: must not be empty");
  }

  @Test
  void aRequiredSecretThatIsAbsent() {
    assertThatThrownBy(() -> load(Map.of(), "alerts: {channels: [{type: pagerduty}]}"))
        .hasMessageContaining("c.yaml:1:21 alerts.channels[0]: integration_key is required for this channel");
  }
}
