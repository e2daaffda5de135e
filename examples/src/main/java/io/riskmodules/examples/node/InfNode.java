package io.riskmodules.examples.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riskmodules.RiskModules;
import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.sink.AlertmanagerSink;
import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.config.ConfigException;
import io.riskmodules.config.ReloadEvent;
import io.riskmodules.breaker.fallback.FallbackResponse;
import io.riskmodules.metrics.micrometer.RiskModulesMeterBinder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An INF node of RFC-136: a small HTTP service on the JDK's {@code HttpServer} that embeds the
 * whole library through {@link RiskModules} and calls simulated downstream services through their
 * breakers.
 *
 * <pre>
 * GET  /health                  200 {"status":"UP"} or 503 {"status":"DOWN"} (path: health_check.endpoint)
 * GET  /status                  breakers, risk levels, active alerts, failover group, faults (JSON)
 * GET  /metrics                 Prometheus text (every meter tagged node=NAME)
 * GET  /call/{service}          200 from the downstream; 502 when it failed; when the breaker
 *                               rejects, fallback.default_response: 503, Retry-After, JSON body
 * POST /admin/faults/{service}?mode=ok|fail|slow[&amp;latency_ms=N]   inject a fault
 * POST /admin/reset/{service}   reset the breaker to CLOSED
 * POST /admin/health?status=up|down   make /health answer as told (to test a rollback)
 * </pre>
 *
 * <p>The admin endpoints answer loopback clients, and others only with {@code Authorization:
 * Bearer} and the token of {@code INF_NODE_ADMIN_TOKEN}; with no token they are loopback-only.
 *
 * <pre>{@code
 * try (InfNode node = InfNode.start(NodeOptions.parse(List.of("--port", "0"), System::getenv))) {
 *   System.out.println("listening on " + node.port());
 * }
 * }</pre>
 *
 * <p>{@link #main} runs one until SIGTERM or SIGINT, then stops it cleanly (no new connections,
 * requests in flight finish, alerts are flushed, threads end) and prints {@code NAME stopped}.
 */
public final class InfNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InfNode.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final NodeOptions options;
  private final RiskModules risk;
  private final PrometheusMeterRegistry prometheus;
  private final RiskModulesMeterBinder binder;
  private final HttpServer server;
  private final ExecutorService executor;
  private final SimulatedDownstream downstream = new SimulatedDownstream();
  private final String healthPath;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile boolean healthForcedDown;

  private InfNode(NodeOptions options, RiskModules risk, PrometheusMeterRegistry prometheus,
      RiskModulesMeterBinder binder, HttpServer server, ExecutorService executor) {
    this.options = options;
    this.risk = risk;
    this.prometheus = prometheus;
    this.binder = binder;
    this.server = server;
    this.executor = executor;
    this.healthPath = risk.config().deployment().map(d -> d.healthCheck().endpoint()).orElse("/health");
  }

  /**
   * Loads the config, binds the port and starts serving.
   *
   * @throws ConfigException when a config file is invalid (nothing is left running then)
   * @throws IOException when the port cannot be bound
   */
  public static InfNode start(NodeOptions options) throws IOException {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    prometheus.config().commonTags("node", options.name());
    RiskModules.Builder b = RiskModules.builder()
        .files(options.configFiles().toArray(java.nio.file.Path[]::new))
        .meterRegistry(prometheus)
        .startHealthChecks(options.healthCheckPeers());
    if (options.watchInterval() != null) {
      b.watch(options.watchInterval());
    }
    if (options.alertmanagerUrl() != null) {
      b.alertSink(AlertmanagerSink.builder().baseUrl(options.alertmanagerUrl()).reporter(options.name()).build());
    }
    RiskModules risk;
    try {
      risk = b.build();
    } catch (RuntimeException e) {
      prometheus.close();
      throw e;
    }
    RiskModulesMeterBinder binder = null;
    HttpServer server = null;
    ExecutorService executor = null;
    try {
      binder = RiskModulesMeterBinder.builder(risk.registry()).collector(risk.metrics())
          .assessor(risk.riskAssessor()).build();
      binder.bindTo(prometheus);
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(options.bind()), options.port()), 64);
      AtomicInteger threads = new AtomicInteger();
      // slow downstreams hold a thread each: enough for a verification's parallel calls
      executor = Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "inf-node-http-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      InfNode node = new InfNode(options, risk, prometheus, binder, server, executor);
      server.createContext("/", node::handle);
      risk.onReload(node::logReload);
      server.start();
      return node;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.stop(0);
      }
      if (executor != null) {
        executor.shutdownNow();
      }
      if (binder != null) {
        binder.close();
      }
      risk.close();
      prometheus.close();
      throw e;
    }
  }

  /** The port it listens on (the one chosen when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Its name. */
  public String name() {
    return options.name();
  }

  /** The runtime it embeds. */
  public RiskModules risk() {
    return risk;
  }

  /**
   * Stops: no new connections are accepted (and {@code /health} answers DOWN to a request already
   * in), requests in flight get up to a second to finish, then alerts are flushed and every thread
   * it started ends. Idempotent.
   */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    binder.close();
    risk.close();
    prometheus.close();
  }

  /** Runs a node until the process is told to stop. Exit status 2 for a bad command line or config. */
  public static void main(String[] args) {
    int status = run(List.of(args), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
    // 0: the shutdown hook has run and the JVM is halting; System.exit here would block on it
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    NodeOptions options;
    InfNode node;
    try {
      options = NodeOptions.parse(args, System::getenv);
      node = start(options);
    } catch (IllegalArgumentException e) {
      err.println("inf-node: " + e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("inf-node: invalid config:");
      err.println(e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("inf-node: cannot listen on " + (args.contains("--bind") ? "the given address" : "the port")
          + ": " + e.getMessage());
      return 2;
    }
    CountDownLatchHolder done = new CountDownLatchHolder();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      out.println(node.name() + " stopped");
      out.flush();
      done.release();
    }, "inf-node-shutdown"));
    out.println(node.name() + " listening on http://" + options.bind() + ":" + node.port() + " (config "
        + options.configDir() + ", health " + node.healthPath + ")");
    out.flush();
    done.await();
    return 0;
  }

  /** Lets main wait for the shutdown hook without a busy loop. */
  private static final class CountDownLatchHolder {
    private final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);

    void release() {
      latch.countDown();
    }

    void await() {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void logReload(ReloadEvent e) {
    if (e.outcome() == ReloadEvent.Outcome.APPLIED) {
      log.info("{}: config reloaded: {}", options.name(), e.changes());
    } else if (e.outcome() == ReloadEvent.Outcome.REJECTED) {
      log.warn("{}: config change rejected, the running config stays: {}", options.name(), e.problems());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  private record Reply(int status, String contentType, String body, Map<String, String> headers) {
    static Reply json(int status, Object value) {
      try {
        return new Reply(status, "application/json", JSON.writeValueAsString(value), Map.of());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Reply error(int status, String message) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", message);
      return json(status, body);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    Reply reply;
    try (InputStream in = exchange.getRequestBody()) {
      in.readNBytes(64 << 10); // bodies are not used; read so the connection can be reused
      reply = route(exchange);
    } catch (RuntimeException e) {
      log.warn("{}: {} {} failed", options.name(), exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
      reply = Reply.error(500, "internal error");
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  private Reply route(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (path.equals(healthPath)) {
      return get(method) ? health() : methodNotAllowed("GET");
    }
    if (path.equals("/status")) {
      return get(method) ? status() : methodNotAllowed("GET");
    }
    if (path.equals("/metrics")) {
      return get(method) ? new Reply(200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape(), Map.of())
          : methodNotAllowed("GET");
    }
    if (path.startsWith("/call/")) {
      return get(method) || method.equals("POST") ? call(path.substring("/call/".length()))
          : methodNotAllowed("GET, POST");
    }
    if (path.startsWith("/admin/")) {
      if (!method.equals("POST")) {
        return methodNotAllowed("POST");
      }
      Reply denied = authorize(exchange);
      if (denied != null) {
        return denied;
      }
      if (path.startsWith("/admin/faults/")) {
        return injectFault(path.substring("/admin/faults/".length()), query);
      }
      if (path.startsWith("/admin/reset/")) {
        return reset(path.substring("/admin/reset/".length()));
      }
      if (path.equals("/admin/health")) {
        return setHealth(query.get("status"));
      }
    }
    return Reply.error(404, "no such endpoint: " + path);
  }

  private static boolean get(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  private static Reply methodNotAllowed(String allowed) {
    Reply r = Reply.error(405, "method not allowed; use " + allowed);
    return new Reply(r.status(), r.contentType(), r.body(), Map.of("Allow", allowed));
  }

  /** Null when the admin request may go on; otherwise the refusal. */
  private Reply authorize(HttpExchange exchange) {
    if (exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
      return null;
    }
    if (options.adminToken() == null) {
      return Reply.error(403, "admin endpoints answer loopback clients only (set INF_NODE_ADMIN_TOKEN to allow others)");
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    byte[] given = (auth == null ? "" : auth).getBytes(StandardCharsets.UTF_8);
    byte[] expected = ("Bearer " + options.adminToken()).getBytes(StandardCharsets.UTF_8);
    // constant time, and the header is never echoed or logged
    if (!MessageDigest.isEqual(given, expected)) {
      return new Reply(401, "application/json", "{\"error\":\"admin token missing or wrong\"}",
          Map.of("WWW-Authenticate", "Bearer"));
    }
    return null;
  }

  private Reply health() {
    boolean up = !stopping.get() && !healthForcedDown;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("node", options.name());
    return Reply.json(up ? 200 : 503, body);
  }

  /** A service the config lists; others get 404, so no URL can create breakers (or meters) at will. */
  private boolean known(String service) {
    return risk.config().breakers().services().containsKey(service);
  }

  private Reply unknown(String service) {
    return Reply.error(404, "no such service: '" + clip(service) + "' (known: "
        + new TreeMap<>(risk.config().breakers().services()).keySet() + ")");
  }

  private Reply call(String service) {
    if (!known(service)) {
      return unknown(service);
    }
    CircuitBreaker breaker = risk.breaker(service);
    FallbackResponse.Template template = risk.fallbackResponse();
    return breaker.execute(() -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("service", service);
      body.put("node", options.name());
      body.put("result", downstream.call(service));
      return Reply.json(200, body);
    }, cause -> {
      if (cause instanceof CallNotPermittedException) {
        FallbackResponse r = template.render(cause);
        return new Reply(r.statusCode(), "application/json", r.body().toJson(),
            Map.of("Retry-After", String.valueOf(r.body().retryAfter())));
      }
      return Reply.error(502, service + " failed: " + cause.getMessage());
    });
  }

  private Reply injectFault(String service, Map<String, String> query) {
    if (!known(service)) {
      return unknown(service);
    }
    SimulatedDownstream.Mode mode;
    long latency = 0;
    try {
      mode = SimulatedDownstream.Mode.parse(query.getOrDefault("mode", ""));
      if (mode == SimulatedDownstream.Mode.SLOW) {
        String text = query.getOrDefault("latency_ms", "");
        try {
          latency = Long.parseLong(text);
        } catch (NumberFormatException e) {
          latency = -1;
        }
        if (latency < 1 || latency > 60_000) {
          throw new IllegalArgumentException("latency_ms must be from 1 to 60000 with mode=slow, was '"
              + clip(text) + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      return Reply.error(400, e.getMessage());
    }
    downstream.inject(service, new SimulatedDownstream.Fault(mode, latency));
    log.info("{}: fault on {}: {}{}", options.name(), service, mode.value(),
        mode == SimulatedDownstream.Mode.SLOW ? " " + latency + " ms" : "");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", service);
    body.put("mode", mode.value());
    body.put("latency_ms", latency);
    return Reply.json(200, body);
  }

  private Reply reset(String service) {
    if (!known(service)) {
      return unknown(service);
    }
    CircuitBreaker breaker = risk.breaker(service);
    breaker.reset();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", service);
    body.put("state", breaker.state());
    return Reply.json(200, body);
  }

  private Reply setHealth(String status) {
    if (!"up".equals(status) && !"down".equals(status)) {
      return Reply.error(400, "status must be up or down, was '" + clip(String.valueOf(status)) + "'");
    }
    healthForcedDown = status.equals("down");
    log.info("{}: health forced {}", options.name(), status);
    return health();
  }

  private Reply status() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", options.name());
    body.put("healthy", !stopping.get() && !healthForcedDown);
    List<Object> breakers = new ArrayList<>();
    Map<String, Object> riskLevels = new TreeMap<>();
    for (String service : new TreeMap<>(risk.config().breakers().services()).keySet()) {
      CircuitBreaker breaker = risk.breaker(service);
      breaker.state(); // moves an OPEN breaker whose open time is over to HALF_OPEN, as a call would
      breakers.add(breaker.status());
      riskLevels.put(service, risk.riskAssessor().level(service));
    }
    body.put("breakers", breakers);
    body.put("risk", riskLevels);
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Alert a : risk.alertManager().active()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", a.key());
      m.put("kind", a.kind());
      m.put("severity", a.severity());
      m.put("source", a.source());
      m.put("title", a.title());
      m.put("starts_at", a.startsAt() == null ? null : a.startsAt().toString());
      alerts.add(m);
    }
    body.put("alerts", alerts);
    body.put("alert_sinks", risk.alertManager().stats()); // names and counts only: no URLs or keys
    body.put("failover_group", risk.nodeGroup().map(g -> (Object) g.status()).orElse(null));
    Map<String, Object> faults = new TreeMap<>();
    for (String service : risk.config().breakers().services().keySet()) {
      SimulatedDownstream.Fault f = downstream.fault(service);
      faults.put(service, f.mode() == SimulatedDownstream.Mode.SLOW ? "slow " + f.latencyMillis() + " ms" : f.mode().value());
    }
    body.put("faults", faults);
    body.put("downstream_calls", downstream.invocations());
    Map<String, Long> reloads = new LinkedHashMap<>();
    for (ReloadEvent.Outcome o : ReloadEvent.Outcome.values()) {
      if (o != ReloadEvent.Outcome.UNCHANGED) {
        reloads.put(o.tag(), risk.reloadCount(o));
      }
    }
    body.put("config_reloads", reloads);
    return Reply.json(200, body);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  /** What a client sent, cut short, so an error message cannot be made huge. */
  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
