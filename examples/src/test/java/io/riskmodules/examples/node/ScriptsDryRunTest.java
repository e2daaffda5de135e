package io.riskmodules.examples.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deployment scripts of {@code examples/scripts/} in dry-run mode: they print the kubectl
 * commands they would run, for the manifests that exist, and change nothing. Never run here
 * without {@code --dry-run}: a kubectl on this machine could reach a real cluster.
 */
class ScriptsDryRunTest {

  private static final Path SCRIPTS = Files.isDirectory(Path.of("scripts")) ? Path.of("scripts")
      : Path.of("examples", "scripts");

  private record Run(int status, String output) {}

  private static Run run(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(script).toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  /** The commands a dry run printed, without the "+ " prefix. */
  private static List<String> commands(Run r) {
    return r.output().lines().filter(l -> l.startsWith("+ ")).map(l -> l.substring(2)).toList();
  }

  @Test
  void deployAppliesTheManifestsWaitsForTheRolloutChecksHealthAndVerifiesTheNodes() throws Exception {
    Run r = run("deploy.sh", "--dry-run", "--namespace", "risk", "--image", "registry.example/inf-node:1.2", "--observe", "60");
    assertThat(r.status()).as(r.output()).isZero();
    List<String> commands = commands(r);
    assertThat(commands).filteredOn(c -> c.contains(" apply -f ")).extracting(c -> c.substring(c.lastIndexOf('/') + 1))
        .containsExactly("configmap.yaml", "service.yaml", "deployment.yaml", "hpa.yaml");
    for (String c : commands) {
      if (c.contains(" apply -f ")) {
        assertThat(Path.of(c.substring(c.indexOf(" apply -f ") + 10))).as("manifest of " + c).isRegularFile();
      }
      if (c.startsWith("kubectl")) {
        assertThat(c).startsWith("kubectl --namespace risk ");
      }
    }
    assertThat(commands).contains(
        "kubectl --namespace risk set image deployment/inf-node inf-node=registry.example/inf-node:1.2",
        "kubectl --namespace risk rollout status deployment/inf-node --timeout=300s",
        "kubectl --namespace risk get --request-timeout 5s --raw /api/v1/namespaces/risk/pods/POD:8080/proxy/health");
    assertThat(commands).filteredOn(c -> c.contains("port-forward")).hasSize(4);
    assertThat(commands).filteredOn(c -> c.startsWith("java -jar ")).singleElement().satisfies(c -> assertThat(c)
        .contains("verification-run.jar nodes ")
        .contains("--node inf-node-1=127.0.0.1:18081").contains("--node inf-node-4=127.0.0.1:18084")
        .endsWith("--observe 60"));
    assertThat(r.output()).contains("health check: GET /health every 10s (timeout 5s); healthy after 2, unhealthy after 3")
        .contains("dry run: nothing was changed");
  }

  @Test
  void rollbackUndoesTheRolloutToTheGivenRevision() throws Exception {
    Run r = run("rollback.sh", "--dry-run", "--namespace", "risk", "--to-revision", "3");
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(commands(r)).containsExactly(
        "kubectl --namespace risk rollout history deployment/inf-node",
        "kubectl --namespace risk rollout undo deployment/inf-node --to-revision=3",
        "kubectl --namespace risk rollout status deployment/inf-node --timeout=300s");
    assertThat(commands(run("rollback.sh", "--dry-run"))).contains("kubectl --namespace default rollout undo deployment/inf-node");
  }

  @Test
  void healthCheckProbesEveryPodThroughTheApiServerProxy() throws Exception {
    Run r = run("health_check.sh", "--dry-run", "--namespace", "risk");
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(commands(r)).containsExactly(
        "kubectl --namespace risk get pods --selector app.kubernetes.io/name=inf-node --output name",
        "kubectl --namespace risk get --request-timeout 5s --raw /api/v1/namespaces/risk/pods/POD:8080/proxy/health");
  }

  @Test
  void badUsageIsRefusedWithStatusTwoBeforeAnythingRuns() throws Exception {
    Run unknown = run("deploy.sh", "--dry-run", "--colour");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.output()).contains("unknown option --colour").doesNotContain("kubectl");
    Run revision = run("rollback.sh", "--dry-run", "--to-revision", "latest");
    assertThat(revision.status()).isEqualTo(2);
    assertThat(revision.output()).contains("--to-revision must be a revision number, was 'latest'");
    assertThat(run("deploy.sh", "--dry-run", "--observe", "soon").status()).isEqualTo(2);
  }
}
