package io.riskmodules.examples.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.riskmodules.config.ConfigException;
import io.riskmodules.config.ConfigLoader;
import io.riskmodules.config.DeploymentConfig;
import io.riskmodules.config.RollbackConfig;
import io.riskmodules.failover.HealthCheckConfig;
import io.riskmodules.failover.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Deployment verification of RFC-136 (its {@code verify_circuit_breaker.py} and rollback rule),
 * run after a rollout as {@code java -jar verification-run.jar nodes [options]}:
 *
 * <ol>
 *   <li>reads {@code deployment_config.yaml}: the nodes, {@code health_check} and {@code rollback};
 *   <li>checks each node's health until {@code healthy_threshold} good answers in a row (healthy)
 *       or {@code unhealthy_threshold} failures in a row (unhealthy);
 *   <li>drives each breaker of each healthy node through its states over the node's HTTP API
 *       (fault injection on its loopback or with {@code INF_NODE_ADMIN_TOKEN}): it starts CLOSED,
 *       trips at its thresholds, rejects with the fallback (503, {@code Retry-After}) without
 *       calling the service, half-opens after its open timeout and closes after {@code
 *       success_threshold} good probes;
 *   <li>watches the nodes' health for {@code observation_period_seconds};
 *   <li>ends with a verdict and its exit status: {@value #PASS} pass; {@value #FAIL} a check failed;
 *       {@value #ROLLBACK} rollback: the rollback rule was met ({@code failure_threshold} failed
 *       health checks of a watched node during the observation, or a node never became healthy);
 *       {@value #ROLLBACK_BY_HAND} the rule was met but {@code auto_rollback} is false; {@value
 *       #USAGE} bad command line or config.
 * </ol>
 *
 * <pre>
 * nodes [--config DIR] [--node NAME=HOST:PORT]... [--observe SECONDS] [--interval MILLIS]
 *       [--services a,b] [--json FILE]
 * </pre>
 *
 * <p>Breaker checks take as long as the longest open timeout of the nodes' config (the nodes run
 * in parallel, as do their services).
 */
public final class NodesVerification {

  /** Every node healthy, every check passed, the rollback rule not met. */
  public static final int PASS = 0;
  /** A breaker check failed; the rollback rule was not met. */
  public static final int FAIL = 1;
  /** Bad command line or config. */
  public static final int USAGE = 2;
  /** The rollback rule was met and {@code auto_rollback} is true: roll back. */
  public static final int ROLLBACK = 3;
  /** The rollback rule was met but {@code auto_rollback} is false: an operator decides. */
  public static final int ROLLBACK_BY_HAND = 4;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One row of a node's table. */
  record Check(String node, String service, String check, String expected, String observed, boolean passed) {}

  private final PrintStream out;
  private final HttpClient http;
  private final String adminToken;
  private final Options options;
  private final DeploymentConfig deployment;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final List<Check> checks = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> observedFailures = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime = System::nanoTime;

  private record Options(Path configDir, Map<String, String> overrides, Duration observe, Duration interval,
      List<String> services, Path json) {}

  private NodesVerification(PrintStream out, Options options, DeploymentConfig deployment, String adminToken) {
    this.out = out;
    this.options = options;
    this.deployment = deployment;
    this.adminToken = adminToken;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(deployment.healthCheck().timeout()).build();
    for (Node n : deployment.nodes()) {
      String override = options.overrides().get(n.name());
      addresses.put(n.name(), override != null ? override : hostPort(n.host(), n.port()));
    }
  }

  /** The {@code nodes} mode with the process's streams and environment; returns the exit status. */
  public static int run(List<String> args) {
    return run(args, System.out, System.err, System::getenv);
  }

  /** The {@code nodes} mode; returns the exit status (see the class comment). */
  public static int run(List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    Options options;
    DeploymentConfig deployment;
    try {
      options = parse(args);
      Path file = options.configDir().resolve("deployment_config.yaml");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--config directory " + options.configDir().toAbsolutePath()
            + " has no deployment_config.yaml");
      }
      deployment = ConfigLoader.builder().environment(env).build().load(file).deployment()
          .orElseThrow(() -> new IllegalArgumentException(file + " holds no nodes"));
      List<String> names = deployment.nodes().stream().map(Node::name).toList();
      for (String name : options.overrides().keySet()) {
        if (!names.contains(name)) {
          throw new IllegalArgumentException("--node " + name + ": no such node in " + file + " (listed: " + names + ")");
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("nodes: " + e.getMessage());
      return USAGE;
    } catch (ConfigException e) {
      err.println("nodes: invalid config:");
      err.println(e.getMessage());
      return USAGE;
    }
    String token = env.apply("INF_NODE_ADMIN_TOKEN");
    return new NodesVerification(out, options, deployment, token == null || token.isBlank() ? null : token).verify();
  }

  private static Options parse(List<String> args) {
    Path config = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    Duration observe = null;
    Duration interval = null;
    List<String> services = List.of();
    Path json = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      if (!List.of("--config", "--node", "--observe", "--interval", "--services", "--json").contains(a)) {
        throw new IllegalArgumentException("unknown option " + a
            + " (allowed: --config, --node, --observe, --interval, --services, --json)");
      }
      if (v == null) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      switch (a) {
        case "--config" -> config = Path.of(v);
        case "--node" -> {
          int eq = v.indexOf('=');
          int colon = v.lastIndexOf(':');
          if (eq < 1 || colon < eq + 2 || !v.substring(colon + 1).matches("\\d{1,5}")
              || Integer.parseInt(v.substring(colon + 1)) < 1 || Integer.parseInt(v.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("--node must be NAME=HOST:PORT with a port from 1 to 65535, was '" + v + "'");
          }
          overrides.put(v.substring(0, eq), v.substring(eq + 1));
        }
        case "--observe" -> observe = Duration.ofSeconds(number(a, v, 0, 86_400));
        case "--interval" -> interval = Duration.ofMillis(number(a, v, 10, 3_600_000));
        case "--services" -> services = List.of(v.split(","));
        case "--json" -> json = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a
            + " (allowed: --config, --node, --observe, --interval, --services, --json)");
      }
      i++;
    }
    if (config == null) {
      config = Files.isDirectory(Path.of("examples", "config")) ? Path.of("examples", "config") : Path.of("config");
    }
    return new Options(config, overrides, observe, interval, services, json);
  }

  private static long number(String option, String text, long min, long max) {
    long v;
    try {
      v = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max + ", was '" + text + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", was " + v);
    }
    return v;
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  // ---------------------------------------------------------------------------------------------

  private int verify() {
    HealthCheckConfig hc = deployment.healthCheck();
    RollbackConfig rb = deployment.rollback();
    Duration interval = options.interval() != null ? options.interval() : hc.interval();
    Duration observe = options.observe() != null ? options.observe() : rb.observationPeriod();
    out.printf("Deployment verification of %d nodes: health %s every %d ms (timeout %d s, healthy after %d, "
            + "unhealthy after %d in a row); observation %d s; rollback after %d failed health checks%s%n",
        addresses.size(), hc.endpoint(), interval.toMillis(), hc.timeout().toSeconds(), hc.healthyThreshold(),
        hc.unhealthyThreshold(), observe.toSeconds(), rb.failureThreshold(),
        rb.nodes().isEmpty() ? " of any node" : " of " + rb.nodes());
    String rollbackReason = null;

    // 1. health
    out.println("[1/3] health checks");
    Map<String, Boolean> healthy = parallel(new ArrayList<>(addresses.keySet()), node -> initialHealth(node, interval));
    for (Map.Entry<String, Boolean> e : healthy.entrySet()) {
      if (!e.getValue() && watched(e.getKey()) && rollbackReason == null) {
        rollbackReason = e.getKey() + " did not become healthy (" + hc.unhealthyThreshold()
            + " failed health checks in a row, unhealthy_threshold " + hc.unhealthyThreshold() + ")";
      }
    }

    // 2. breakers, on the healthy nodes
    out.println("[2/3] circuit breaker checks through each node's HTTP API");
    List<String> targets = new ArrayList<>();
    for (Map.Entry<String, Boolean> e : healthy.entrySet()) {
      if (e.getValue()) {
        Map<String, JsonNode> breakers = breakers(e.getKey());
        if (breakers == null) {
          continue;
        }
        for (String service : breakers.keySet()) {
          if (options.services().isEmpty() || options.services().contains(service)) {
            targets.add(e.getKey() + "\u0000" + service);
          }
        }
        for (String wanted : options.services()) {
          if (!breakers.containsKey(wanted)) {
            record(e.getKey(), wanted, "the node has this service", "listed", "not listed", false);
          }
        }
      }
    }
    parallel(targets, t -> {
      String[] parts = t.split("\u0000");
      verifyBreaker(parts[0], parts[1]);
      return true;
    });

    // 3. observation
    if (rollbackReason == null && !observe.isZero()) {
      out.printf("[3/3] observing health for %d s (every %d ms)%n", observe.toSeconds(), interval.toMillis());
      rollbackReason = observe(observe, interval, rb);
    } else if (rollbackReason == null) {
      out.println("[3/3] observation period 0 s: skipped");
    } else {
      out.println("[3/3] observation skipped: the rollback rule is already met");
    }

    // report
    printTables();
    long failed = checks.stream().filter(c -> !c.passed()).count();
    int status;
    String verdict;
    String reason;
    if (rollbackReason != null) {
      status = rb.autoRollback() ? ROLLBACK : ROLLBACK_BY_HAND;
      verdict = "rollback";
      reason = rollbackReason + (rb.autoRollback() ? "" : "; auto_rollback is false: roll back by hand if wanted");
    } else if (failed > 0) {
      status = FAIL;
      verdict = "fail";
      reason = failed + " of " + checks.size() + " checks failed";
    } else {
      status = PASS;
      verdict = "pass";
      reason = "all " + checks.size() + " checks passed; no node failed " + rb.failureThreshold()
          + " health checks in the observation period";
    }
    out.println("VERDICT: " + verdict + " - " + reason + " (exit " + status + ")");
    if (options.json() != null) {
      writeJson(verdict, reason, status);
    }
    return status;
  }

  private boolean watched(String node) {
    return deployment.rollback().nodes().isEmpty() || deployment.rollback().nodes().contains(node);
  }

  private <T> Map<String, T> parallel(List<String> keys, Function<String, T> work) {
    Map<String, T> results = new LinkedHashMap<>();
    if (keys.isEmpty()) {
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(keys.size(), 32), r -> {
      Thread t = new Thread(r, "nodes-verification");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<String, Future<T>> futures = new LinkedHashMap<>();
      for (String k : keys) {
        futures.put(k, pool.submit(() -> work.apply(k)));
      }
      for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException ex) {
          String[] parts = e.getKey().split("\u0000");
          record(parts[0], parts.length > 1 ? parts[1] : "-", "check ran to its end", "no error",
              String.valueOf(ex.getCause()), false);
          results.put(e.getKey(), null);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private record Answer(int status, String body, HttpResponse<String> response) {}

  private Answer send(String node, String method, String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + addresses.get(node) + path))
        .timeout(Duration.ofSeconds(Math.max(5, deployment.healthCheck().timeout().toSeconds())))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (adminToken != null && path.startsWith("/admin/")) {
      b.header("Authorization", "Bearer " + adminToken);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      return new Answer(-1, e.toString(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted", null);
    }
  }

  private boolean healthOk(String node) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + addresses.get(node) + deployment.healthCheck().endpoint()))
        .timeout(deployment.healthCheck().timeout()).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean initialHealth(String node, Duration interval) {
    HealthCheckConfig hc = deployment.healthCheck();
    int good = 0;
    int bad = 0;
    int probes = 0;
    while (good < hc.healthyThreshold() && bad < hc.unhealthyThreshold()) {
      probes++;
      if (healthOk(node)) {
        good++;
        bad = 0;
      } else {
        bad++;
        good = 0;
      }
      if (good < hc.healthyThreshold() && bad < hc.unhealthyThreshold()) {
        pause(interval);
      }
    }
    boolean ok = good >= hc.healthyThreshold();
    record(node, "-", "healthy (" + hc.healthyThreshold() + " good checks in a row)", "healthy",
        ok ? "healthy after " + probes + " checks" : "unhealthy: " + bad + " failed in a row", ok);
    out.printf("  %s (%s): %s%n", node, addresses.get(node), ok ? "healthy" : "UNHEALTHY");
    return ok;
  }

  private Map<String, JsonNode> breakers(String node) {
    Answer a = send(node, "GET", "/status");
    if (a.status() != 200) {
      record(node, "-", "GET /status answers", "200", String.valueOf(a.status()), false);
      return null;
    }
    try {
      Map<String, JsonNode> out = new LinkedHashMap<>();
      for (JsonNode b : JSON.readTree(a.body()).get("breakers")) {
        out.put(b.get("name").asText(), b);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      record(node, "-", "GET /status is JSON with breakers", "breakers", "unreadable", false);
      return null;
    }
  }

  private JsonNode breaker(String node, String service) {
    Map<String, JsonNode> all = breakers(node);
    return all == null ? null : all.get(service);
  }

  private String state(String node, String service) {
    JsonNode b = breaker(node, service);
    return b == null ? "unknown" : b.get("state").asText();
  }

  private long downstreamCalls(String node, String service) {
    try {
      JsonNode n = JSON.readTree(send(node, "GET", "/status").body()).path("downstream_calls").path(service);
      return n.isMissingNode() ? 0 : n.asLong();
    } catch (IOException e) {
      return -1;
    }
  }

  // --- the breaker checks ----------------------------------------------------------------------

  private void verifyBreaker(String node, String service) {
    JsonNode b = breaker(node, service);
    if (b == null) {
      record(node, service, "breaker listed in /status", "listed", "missing", false);
      return;
    }
    JsonNode c = b.get("config");
    int f = c.get("failure_threshold").asInt();
    int s = c.get("success_threshold").asInt();
    double rate = c.get("failure_rate_threshold").asDouble();
    int minimum = c.get("minimum_number_of_calls").asInt();
    if ("COUNT_BASED".equals(c.path("sliding_window_type").asText())) {
      minimum = Math.min(minimum, c.get("sliding_window_size").asInt());
    }

    Answer ok = send(node, "POST", "/admin/faults/" + service + "?mode=ok");
    if (ok.status() != 200) {
      record(node, service, "fault injection allowed", "200", ok.status() + " " + clip(ok.body()), false);
      return;
    }
    send(node, "POST", "/admin/reset/" + service);
    String start = state(node, service);
    record(node, service, "starts CLOSED (after reset)", "CLOSED", start, start.equals("CLOSED"));
    int healthyStatus = send(node, "GET", "/call/" + service).status();
    record(node, service, "a healthy call passes", "200", String.valueOf(healthyStatus), healthyStatus == 200);

    // trips: consecutive failures, or the failure rate once the window holds its minimum
    int okCalls = healthyStatus == 200 ? 1 : 0;
    int expectedTrip = f;
    for (int k = 1; k < f; k++) {
      if (k + okCalls >= minimum && (double) k / (k + okCalls) >= rate) {
        expectedTrip = k;
        break;
      }
    }
    send(node, "POST", "/admin/faults/" + service + "?mode=fail");
    int failures = 0;
    int last = 0;
    while (failures < f + 5) {
      last = send(node, "GET", "/call/" + service).status();
      if (last != 502) {
        break;
      }
      failures++;
    }
    String afterTrip = state(node, service);
    record(node, service, "trips after failure_threshold " + f + " (or the rate " + rate + " over " + minimum + " calls)",
        expectedTrip + " failures, OPEN", failures + " failures, " + afterTrip,
        failures == expectedTrip && afterTrip.equals("OPEN"));

    // rejects with the fallback while OPEN, without calling the service
    long before = downstreamCalls(node, service);
    Answer rejected = send(node, "GET", "/call/" + service);
    long after = downstreamCalls(node, service);
    String retryAfter = rejected.response() == null ? null
        : rejected.response().headers().firstValue("Retry-After").orElse(null);
    boolean fallbackBody;
    try {
      JsonNode body = JSON.readTree(rejected.body());
      fallbackBody = body.hasNonNull("error") && retryAfter != null && body.path("retry_after").asText().equals(retryAfter);
    } catch (IOException | RuntimeException e) {
      fallbackBody = false;
    }
    record(node, service, "rejects while OPEN with the fallback", "503, Retry-After, fallback body",
        rejected.status() + ", Retry-After " + retryAfter + (fallbackBody ? ", fallback body" : ", other body"),
        rejected.status() == 503 && retryAfter != null && fallbackBody);
    record(node, service, "a rejected call never reaches the service", "0 calls", (after - before) + " calls",
        before >= 0 && after == before);

    // half-opens after the open timeout, closes after success_threshold good probes
    send(node, "POST", "/admin/faults/" + service + "?mode=ok");
    JsonNode open = breaker(node, service);
    long remaining = open == null ? 0 : open.get("remaining_open_millis").asLong();
    pause(Duration.ofMillis(remaining + 200));
    int probes = 0;
    String seenAfterFirst = null;
    String now = state(node, service);
    record(node, service, "half-opens after its open timeout", "HALF_OPEN", now, now.equals("HALF_OPEN"));
    while (probes < s + 5) {
      int st = send(node, "GET", "/call/" + service).status();
      if (st != 200) {
        break;
      }
      probes++;
      now = state(node, service);
      if (probes == 1) {
        seenAfterFirst = now;
      }
      if (now.equals("CLOSED")) {
        break;
      }
    }
    record(node, service, "closes after success_threshold " + s + " good probes", s + " probes, CLOSED",
        probes + " probes, " + now, probes == s && now.equals("CLOSED")
            && (s == 1 || "HALF_OPEN".equals(seenAfterFirst)));
  }

  private static void pause(Duration d) {
    try {
      // real time on purpose: the nodes' breakers run on their own clocks
      Thread.sleep(Math.max(0, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- observation -----------------------------------------------------------------------------

  private String observe(Duration period, Duration interval, RollbackConfig rb) {
    long end = nanoTime.getAsLong() + period.toNanos();
    long nextReport = nanoTime.getAsLong() + period.toNanos() / 4;
    for (String node : addresses.keySet()) {
      observedFailures.put(node, new AtomicInteger());
    }
    while (nanoTime.getAsLong() < end) {
      Map<String, Boolean> round = parallel(new ArrayList<>(addresses.keySet()), this::healthOk);
      for (Map.Entry<String, Boolean> e : round.entrySet()) {
        if (!Boolean.TRUE.equals(e.getValue())) {
          int n = observedFailures.get(e.getKey()).incrementAndGet();
          out.printf("  %s: failed health check (%d of %d)%n", e.getKey(), n, rb.failureThreshold());
          if (n >= rb.failureThreshold() && watched(e.getKey())) {
            record(e.getKey(), "-", "health during the observation period", "fewer than " + rb.failureThreshold()
                + " failed checks", n + " failed checks", false);
            return e.getKey() + " failed " + n + " health checks during the observation period (rollback.failure_threshold "
                + rb.failureThreshold() + ")";
          }
        }
      }
      if (nanoTime.getAsLong() >= nextReport) {
        out.printf("  observing: %d s left%n", Math.max(0, (end - nanoTime.getAsLong()) / 1_000_000_000L));
        nextReport += period.toNanos() / 4;
      }
      pause(Duration.ofMillis(Math.min(interval.toMillis(), Math.max(0, (end - nanoTime.getAsLong()) / 1_000_000))));
    }
    for (String node : addresses.keySet()) {
      int n = observedFailures.get(node).get();
      record(node, "-", "health during the observation period", "fewer than " + rb.failureThreshold() + " failed checks",
          n + " failed checks", n < rb.failureThreshold() || !watched(node));
    }
    return null;
  }

  // --- report ----------------------------------------------------------------------------------

  private void record(String node, String service, String check, String expected, String observed, boolean passed) {
    checks.add(new Check(node, service, check, expected, observed, passed));
  }

  private List<Check> checksOf(String node) {
    synchronized (checks) {
      return checks.stream().filter(c -> c.node().equals(node)).toList();
    }
  }

  private void printTables() {
    String format = "  %-22s %-66s %-32s %-34s %s%n";
    for (String node : addresses.keySet()) {
      Node n = deployment.nodes().stream().filter(x -> x.name().equals(node)).findFirst().orElseThrow();
      out.printf("%n%s (%s, %s)%n", node, addresses.get(node), n.role().name().toLowerCase(Locale.ROOT));
      out.printf(format, "service", "check", "expected", "observed", "result");
      List<Check> rows = new ArrayList<>(checksOf(node));
      // services together, in the order they ran within each
      rows.sort(java.util.Comparator.comparing(Check::service));
      for (Check c : rows) {
        out.printf(format, c.service(), c.check(), c.expected(), c.observed(), c.passed() ? "PASS" : "FAIL");
      }
    }
    out.println();
  }

  private void writeJson(String verdict, String reason, int status) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("verdict", verdict);
    root.put("reason", reason);
    root.put("exit_status", status);
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (String node : addresses.keySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", node);
      m.put("address", addresses.get(node));
      m.put("failed_health_checks_observed", observedFailures.containsKey(node) ? observedFailures.get(node).get() : 0);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Check c : checksOf(node)) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("service", c.service());
        r.put("check", c.check());
        r.put("expected", c.expected());
        r.put("observed", c.observed());
        r.put("result", c.passed() ? "PASS" : "FAIL");
        rows.add(r);
      }
      m.put("checks", rows);
      nodes.add(m);
    }
    root.put("nodes", nodes);
    try {
      JSON.writeValue(options.json().toFile(), root);
    } catch (IOException e) {
      out.println("could not write " + options.json() + ": " + e.getMessage());
    }
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
