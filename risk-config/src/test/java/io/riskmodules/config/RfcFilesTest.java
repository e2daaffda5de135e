package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.failover.Node;
import io.riskmodules.failover.NodeRole;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC-136's two files, copied verbatim, load unchanged and mean what the RFC says. */
class RfcFilesTest {

  private final RiskConfig config = Examples.loader()
      .load(Examples.breakers(), Examples.deployment(), Examples.alerts());

  @Test
  void theExamplesAreTheRfcsFilesVerbatim() {
    assertThat(Examples.text(Examples.breakers()))
        .startsWith("# Circuit Breaker Configuration for INF Node Deployment\n# Protocol v4.4 Compliant\n")
        .contains("    failure_threshold: 5          # 触发熔断的连续失败次数\n")
        .contains("  deployed_by: \"rfc-136\"\n  \n")  // the RFC's trailing spaces are kept
        .endsWith("    max_age_seconds: 300\n");
    assertThat(Examples.text(Examples.deployment()))
        .startsWith("# Deployment Configuration for Risk Modules\n")
        .endsWith("  observation_period_seconds: 300\n");
  }

  @Test
  void defaultIsTheRfcsDefault() {
    CircuitBreakerConfig d = config.breakers().defaults();
    assertThat(d.failureThreshold()).isEqualTo(5);
    assertThat(d.successThreshold()).isEqualTo(3);
    assertThat(d.openTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.halfOpenMaxCalls()).isEqualTo(3);
    assertThat(d.failureRateThreshold()).isEqualTo(0.5);
    assertThat(d.slowCallDurationThreshold()).isEqualTo(Duration.ofMillis(2000));
    assertThat(d.slowCallRateThreshold()).isEqualTo(0.8);
  }

  @Test
  void paymentServiceTripsAfterThreeFailuresAndClosesAfterFiveProbes() {
    CircuitBreakerConfig p = config.breakers().configFor("payment_service");
    assertThat(p.failureThreshold()).isEqualTo(3);
    assertThat(p.successThreshold()).isEqualTo(5);
    assertThat(p.openTimeout()).isEqualTo(Duration.ofSeconds(60));
    // inherited from default
    assertThat(p.halfOpenMaxCalls()).isEqualTo(3);
    assertThat(p.slowCallDurationThreshold()).isEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void inventoryOpensForTwentySecondsAndNotificationForTen() {
    assertThat(config.breakers().configFor("inventory_service").failureThreshold()).isEqualTo(10);
    assertThat(config.breakers().configFor("inventory_service").openTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.breakers().configFor("notification_service").failureThreshold()).isEqualTo(15);
    assertThat(config.breakers().configFor("notification_service").successThreshold()).isEqualTo(2);
    assertThat(config.breakers().configFor("notification_service").openTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.breakers().services().keySet())
        .containsExactly("payment_service", "inventory_service", "notification_service");
    assertThat(config.breakers().stateOf("payment_service")).isEqualTo(ServiceState.AUTO);
  }

  @Test
  void anUnlistedServiceGetsTheDefault() {
    assertThat(config.breakers().configFor("search_service")).isSameAs(config.breakers().defaults());
  }

  @Test
  void monitoringAndMetadata() {
    assertThat(config.monitoring().metricsInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.monitoring().healthCheckInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.metadata()).containsEntry("environment", "production").containsEntry("task_id", "136");
  }

  @Test
  void threeChannelsWithTheirFiltersAndSecretsFromTheEnvironment() {
    assertThat(config.alertChannels()).hasSize(3);
    AlertChannelConfig.Slack slack = (AlertChannelConfig.Slack) config.alertChannels().get(0);
    assertThat(slack.severityFilter()).containsExactlyInAnyOrder("critical", "high");
    assertThat(slack.webhookUrl().reveal()).isEqualTo(Examples.ENV.get("SLACK_WEBHOOK_URL"));
    AlertChannelConfig.PagerDuty pd = (AlertChannelConfig.PagerDuty) config.alertChannels().get(1);
    assertThat(pd.severityFilter()).containsExactly("critical");
    assertThat(pd.integrationKey().reveal()).isEqualTo("pd-routing-key-SECRET");
    AlertChannelConfig.Email email = (AlertChannelConfig.Email) config.alertChannels().get(2);
    assertThat(email.recipients()).containsExactly("oncall@company.com");
    assertThat(email.severityFilter()).containsExactlyInAnyOrder("critical", "high", "medium");
    assertThat(config.toString()).doesNotContain("SECRET").contains("[secret]");
  }

  @Test
  void theFallbackBodyIsTheRfcs() {
    assertThat(config.fallback().defaultResponse().statusCode()).isEqualTo(503);
    assertThat(config.fallback().defaultResponse().error()).isEqualTo("Service temporarily unavailable");
    assertThat(config.fallback().defaultResponse().retryAfterSeconds()).isEqualTo(30);
    assertThat(config.fallback().cache().enabled()).isTrue();
    assertThat(config.fallback().cache().maxAge()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void theFourNodesHaveTheirRolesAndWeights() {
    DeploymentConfig d = config.deployment().orElseThrow();
    assertThat(d.nodes()).containsExactly(
        new Node("inf-node-1", NodeRole.PRIMARY, "10.0.1.10", 8080, 100),
        new Node("inf-node-2", NodeRole.SECONDARY, "10.0.1.11", 8080, 100),
        new Node("inf-node-3", NodeRole.SECONDARY, "10.0.1.12", 8080, 100),
        new Node("inf-node-4", NodeRole.STANDBY, "10.0.1.13", 8080, 0));
    assertThat(d.strategy()).isEqualTo("rolling");
    assertThat(d.maxSurge()).isEqualTo("25%");
    assertThat(d.maxUnavailable()).isEqualTo("25%");
  }

  @Test
  void healthChecksAndRollback() {
    DeploymentConfig d = config.deployment().orElseThrow();
    assertThat(d.healthCheck().endpoint()).isEqualTo("/health");
    assertThat(d.healthCheck().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.healthCheck().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.healthCheck().healthyThreshold()).isEqualTo(2);
    assertThat(d.healthCheck().unhealthyThreshold()).isEqualTo(3);
    assertThat(d.rollback().autoRollback()).isTrue();
    assertThat(d.rollback().failureThreshold()).isEqualTo(3);
    assertThat(d.rollback().observationPeriod()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void theAlertFileSeveritiesPerServiceAndPolicies() {
    AlertingConfig a = config.alerting();
    assertThat(a.groupWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(a.repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(a.resolveTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(a.breakerOpen().severityFor("payment_service")).isEqualTo("critical");
    assertThat(a.breakerOpen().severityFor("notification_service")).isEqualTo("low");
    assertThat(a.breakerOpen().severityFor("inventory_service")).isEqualTo("high");
    assertThat(a.breakerForcedOpen().severityFor("payment_service")).isEqualTo("medium");
    assertThat(a.riskThreshold()).isEqualTo("high");
    assertThat(a.riskSeverities()).containsEntry("critical", "critical").containsEntry("low", "low");
    assertThat(a.riskSeveritiesByService()).containsEntry("notification_service", Map.of("critical", "medium"));
    assertThat(a.inhibit()).containsExactly(new InhibitRuleConfig("breaker_open", "risk_high"),
        new InhibitRuleConfig("breaker_forced_open", "risk_high"));
    RiskPolicyConfig payments = config.risk().policyFor("payment_service");
    assertThat(payments.failureRateThreshold()).isEqualTo(0.2);
    assertThat(payments.p99Objective()).isEqualTo(Duration.ofMillis(300));
    assertThat(payments.slowCallRateThreshold()).isEqualTo(0.8); // inherited
    assertThat(config.risk().policyFor("notification_service").failureRateWeight()).isEqualTo(35);
    assertThat(config.risk().policyFor("inventory_service")).isEqualTo(config.risk().defaults());
  }

  @Test
  void eachFileLoadsAlone() {
    ConfigLoader loader = Examples.loader();
    assertThat(loader.load(Examples.breakers()).deployment()).isEmpty();
    RiskConfig deploymentOnly = loader.load(Examples.deployment());
    assertThat(deploymentOnly.deployment()).isPresent();
    assertThat(deploymentOnly.breakers().services()).isEmpty();
    // alone, the alert file cannot check its service names against a breaker file
    assertThat(loader.load(Examples.alerts()).alerting().breakerOpen().services()).hasSize(2);
  }

  @Test
  void aFileIsRecognisedByItsKeysNotItsName() {
    RiskConfig c = Examples.loader().parse("whatever.yml", Examples.text(Examples.deployment()));
    assertThat(c.deployment().orElseThrow().nodes()).hasSize(4);
  }
}
