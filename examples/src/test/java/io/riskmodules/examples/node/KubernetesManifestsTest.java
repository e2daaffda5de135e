package io.riskmodules.examples.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.riskmodules.RiskModules;
import io.riskmodules.config.DeploymentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests of {@code examples/kubernetes/} agree with the node service and its config: the
 * ConfigMap's files load with the real loader, with exactly the variables the Deployment sets; the
 * probes ask the node's health path on its port with the thresholds of {@code health_check}; the
 * rolling update and replica counts are those of {@code deployment_config.yaml}.
 */
class KubernetesManifestsTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path DIR = Files.isDirectory(Path.of("kubernetes")) ? Path.of("kubernetes")
      : Path.of("examples", "kubernetes");

  @TempDir
  Path tmp;

  private static JsonNode manifest(String file) throws IOException {
    return YAML.readTree(DIR.resolve(file).toFile());
  }

  private static JsonNode container() throws IOException {
    JsonNode containers = manifest("deployment.yaml").at("/spec/template/spec/containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static Map<String, JsonNode> env() throws IOException {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode e : container().get("env")) {
      out.put(e.get("name").asText(), e);
    }
    return out;
  }

  /** Writes the ConfigMap's files to a directory, as Kubernetes mounts them. */
  private Path mountedConfig() throws IOException {
    JsonNode data = manifest("configmap.yaml").get("data");
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Files.writeString(tmp.resolve(e.getKey()), e.getValue().asText());
    }
    return tmp;
  }

  /** The runtime of the mounted files, with the variables the Deployment sets (dummy values) and nothing else. */
  private RiskModules load(Path dir) throws IOException {
    Map<String, String> variables = new HashMap<>();
    for (String name : env().keySet()) {
      variables.put(name, "value-of-" + name);
    }
    variables.put("SLACK_WEBHOOK_URL", "https://hooks.slack.invalid/services/T/B/X");
    return RiskModules.builder()
        .files(NodeOptions.parse(List.of("--config", dir.toString()), k -> null).configFiles().toArray(Path[]::new))
        .environment(variables).startBackgroundTasks(false).startHealthChecks(false).build();
  }

  @Test
  void everyManifestIsTheKindItsNameSays() throws IOException {
    assertThat(manifest("deployment.yaml").get("kind").asText()).isEqualTo("Deployment");
    assertThat(manifest("service.yaml").get("kind").asText()).isEqualTo("Service");
    assertThat(manifest("configmap.yaml").get("kind").asText()).isEqualTo("ConfigMap");
    assertThat(manifest("hpa.yaml").get("kind").asText()).isEqualTo("HorizontalPodAutoscaler");
    assertThat(manifest("hpa.yaml").get("apiVersion").asText()).isEqualTo("autoscaling/v2");
  }

  @Test
  void theConfigMapHoldsTheNodeConfigAndItLoadsWithTheRealLoader() throws IOException {
    assertThat(manifest("configmap.yaml").get("data").has("circuit_breaker_config.yaml")).isTrue();
    try (RiskModules risk = load(mountedConfig())) {
      assertThat(risk.config().breakers().services()).containsKeys("payment_service", "inventory_service",
          "notification_service");
      assertThat(risk.config().breakers().configFor("payment_service").failureThreshold()).isEqualTo(3);
      assertThat(risk.config().deployment()).isPresent();
    }
  }

  @Test
  void theConfigIsMountedWhereTheNodeReadsItAndWhole() throws IOException {
    JsonNode deployment = manifest("deployment.yaml");
    String configDir = env().get("INF_NODE_CONFIG_DIR").get("value").asText();
    JsonNode mount = null;
    for (JsonNode m : container().get("volumeMounts")) {
      if (m.get("mountPath").asText().equals(configDir)) {
        mount = m;
      }
    }
    assertThat(mount).as("a volume mounted at INF_NODE_CONFIG_DIR").isNotNull();
    assertThat(mount.has("subPath")).as("a subPath mount would never see ConfigMap updates").isFalse();
    String volume = mount.get("name").asText();
    JsonNode source = null;
    for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
      if (v.get("name").asText().equals(volume)) {
        source = v;
      }
    }
    assertThat(source.at("/configMap/name").asText()).isEqualTo(manifest("configmap.yaml").at("/metadata/name").asText());
  }

  @Test
  void probesAskTheNodesHealthPathOnItsPortWithTheConfiguredThresholds() throws IOException {
    DeploymentConfig deployment;
    try (RiskModules risk = load(mountedConfig())) {
      deployment = risk.config().deployment().orElseThrow();
    }
    JsonNode c = container();
    int containerPort = c.at("/ports/0/containerPort").asInt();
    String portName = c.at("/ports/0/name").asText();
    int nodePort = Integer.parseInt(env().get("INF_NODE_PORT").get("value").asText());
    assertThat(nodePort).isEqualTo(containerPort);
    assertThat(NodeOptions.parse(List.of("--config", mountedConfig().toString()), k -> null).port())
        .as("the node's default port").isEqualTo(containerPort);
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      JsonNode p = c.get(probe);
      assertThat(p.at("/httpGet/path").asText()).as(probe).isEqualTo(deployment.healthCheck().endpoint());
      String port = p.at("/httpGet/port").asText();
      assertThat(port.equals(portName) || port.equals(String.valueOf(containerPort))).as(probe + " port " + port).isTrue();
      assertThat(p.get("timeoutSeconds").asLong()).isEqualTo(deployment.healthCheck().timeout().toSeconds());
    }
    JsonNode readiness = c.get("readinessProbe");
    assertThat(readiness.get("periodSeconds").asLong()).isEqualTo(deployment.healthCheck().interval().toSeconds());
    assertThat(readiness.get("successThreshold").asInt()).isEqualTo(deployment.healthCheck().healthyThreshold());
    assertThat(readiness.get("failureThreshold").asInt()).isEqualTo(deployment.healthCheck().unhealthyThreshold());
    assertThat(deployment.healthCheck().endpoint()).as("the path the node serves without a deployment file").isEqualTo("/health");

    JsonNode service = manifest("service.yaml");
    String target = service.at("/spec/ports/0/targetPort").asText();
    assertThat(target.equals(portName) || target.equals(String.valueOf(containerPort))).isTrue();
  }

  @Test
  void rollingUpdateReplicasAndSelectorsAgreeWithTheDeploymentFile() throws IOException {
    DeploymentConfig deployment;
    try (RiskModules risk = load(mountedConfig())) {
      deployment = risk.config().deployment().orElseThrow();
    }
    JsonNode d = manifest("deployment.yaml");
    assertThat(d.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(d.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo(deployment.maxSurge()).isEqualTo("25%");
    assertThat(d.at("/spec/strategy/rollingUpdate/maxUnavailable").asText()).isEqualTo(deployment.maxUnavailable())
        .isEqualTo("25%");
    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(deployment.nodes().size());
    assertThat(manifest("hpa.yaml").at("/spec/minReplicas").asInt()).isEqualTo(deployment.nodes().size());
    assertThat(manifest("hpa.yaml").at("/spec/scaleTargetRef/name").asText()).isEqualTo(d.at("/metadata/name").asText());

    JsonNode labels = d.at("/spec/template/metadata/labels");
    for (Iterator<Map.Entry<String, JsonNode>> it = d.at("/spec/selector/matchLabels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertThat(labels.get(e.getKey()).asText()).isEqualTo(e.getValue().asText());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = manifest("service.yaml").at("/spec/selector").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertThat(labels.get(e.getKey()).asText()).isEqualTo(e.getValue().asText());
    }
    assertThat(c("resources/requests/cpu")).isNotEmpty();
    assertThat(c("resources/limits/memory")).isNotEmpty();
  }

  private static String c(String path) throws IOException {
    return container().at("/" + path).asText();
  }
}
