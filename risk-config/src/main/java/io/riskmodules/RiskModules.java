package io.riskmodules;

import io.micrometer.core.instrument.Counter;
import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertKind;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Severity;
import io.riskmodules.config.internal.AlertWiring;
import io.micrometer.core.instrument.MeterRegistry;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.Subscription;
import io.riskmodules.breaker.Ticker;
import io.riskmodules.breaker.fallback.CacheFallbackConfig;
import io.riskmodules.breaker.fallback.FallbackResponse;
import io.riskmodules.config.ConfigException;
import io.riskmodules.config.ConfigLoader;
import io.riskmodules.config.DeploymentConfig;
import io.riskmodules.config.ReloadEvent;
import io.riskmodules.config.RiskConfig;
import io.riskmodules.config.RiskPoliciesConfig;
import io.riskmodules.config.ServiceConfig;
import io.riskmodules.config.ServiceState;
import io.riskmodules.config.internal.FileWatcher;
import io.riskmodules.failover.HealthChecker;
import io.riskmodules.failover.NodeGroup;
import io.riskmodules.metrics.MetricsCollector;
import io.riskmodules.risk.RiskAssessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole runtime built from the config files: the breaker registry, the metrics collector, the
 * risk assessor, the fallbacks and, with a deployment file, the node group and its health checks.
 *
 * <pre>{@code
 * try (RiskModules risk = RiskModules.load(Path.of("config/circuit_breaker_config.yaml"),
 *     Path.of("config/deployment_config.yaml"), Path.of("config/alert_config.yaml"))) {
 *   Receipt r = risk.breaker("payment_service").execute(() -> client.charge(order));
 * }
 * }</pre>
 *
 * <p>With {@link Builder#watch(Duration)} the files are watched (JDK {@code WatchService}, and a
 * check every interval where file events are unreliable): a valid change reconfigures the live
 * breakers in place, adds and removes services, applies {@code state:} overrides and updates the
 * risk policies and fallback response; an invalid or half-written file is rejected whole, the
 * running config stays and its problems are logged. Every reload is published to {@link
 * #onReload} listeners and counted in {@code risk.config.reloads{outcome}}.
 *
 * <p>{@link #close()} stops every thread this object started. Thread-safe.
 */
public final class RiskModules implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RiskModules.class);

  private final List<Path> files;
  private final ConfigLoader loader;
  private final Clock clock;
  private final CircuitBreakerRegistry registry;
  private final MetricsCollector collector;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final NodeGroup nodes;
  private final HttpClient ownHttpClient;
  private final java.util.concurrent.ExecutorService ownHttpExecutor;
  private final List<Consumer<? super ReloadEvent>> reloadListeners = new CopyOnWriteArrayList<>();
  private final Map<ReloadEvent.Outcome, AtomicLong> reloadCounts = new EnumMap<>(ReloadEvent.Outcome.class);
  private final Map<ReloadEvent.Outcome, Counter> reloadCounters = new EnumMap<>(ReloadEvent.Outcome.class);
  private final Object reloadLock = new Object();

  private final List<AlertWiring.ExtraSink> extraSinks;
  private final Ticker ticker;
  private final MeterRegistry meterRegistry;
  private volatile AlertManager alerts;
  private Subscription alertRegistrySubscription;
  private Subscription alertAssessorSubscription;
  private boolean rejectionAlertFiring;
  private volatile RiskConfig config;
  private volatile RiskAssessor assessor;
  private volatile Subscription assessorSubscription;
  private volatile FallbackResponse.Template fallbackResponse;
  private volatile CacheFallbackConfig cacheFallback;
  /** Guarded by reloadLock: what the files held when last read (applied or not). */
  private byte[] lastSeenDigest;
  private FileState[] lastSeenStates;
  /** Guarded by reloadLock: services whose state the file overrode. */
  private final Set<String> overridden = new HashSet<>();
  private FileWatcher watcher;
  private ScheduledFuture<?> poll;
  private volatile boolean closed;

  private RiskModules(Builder b, RiskConfig first, byte[] digest, FileState[] states) {
    this.files = List.copyOf(b.files);
    this.loader = b.loader();
    this.clock = b.clock;
    this.extraSinks = List.copyOf(b.extraSinks);
    this.ticker = b.ticker;
    this.meterRegistry = b.meterRegistry;
    this.config = first;
    this.lastSeenDigest = digest;
    this.lastSeenStates = states;
    this.fallbackResponse = first.fallback().defaultResponse();
    this.cacheFallback = first.fallback().cache();
    for (ReloadEvent.Outcome o : ReloadEvent.Outcome.values()) {
      reloadCounts.put(o, new AtomicLong());
      if (b.meterRegistry != null) {
        reloadCounters.put(o, Counter.builder("risk.config.reloads").tag("outcome", o.tag())
            .description("Reloads of the config files, by outcome").register(b.meterRegistry));
      }
    }
    CircuitBreakerRegistry.Builder rb = CircuitBreakerRegistry.builder()
        .defaultConfig(first.breakers().defaults()).clock(b.clock);
    if (b.ticker != null) {
      rb.ticker(b.ticker);
    }
    if (b.eventExecutor != null) {
      rb.eventExecutor(b.eventExecutor);
    }
    if (b.scheduler != null) {
      // breakers' timed work (call timeouts, automatic transitions) on the given time too; without
      // one they use the library's shared timer thread, which runs only while such work is pending
      rb.scheduler(b.scheduler);
    }
    for (ServiceConfig s : first.breakers().services().values()) {
      rb.config(s.name(), s.config());
    }
    first.breakers().shared().forEach(rb::addConfiguration);
    this.registry = rb.build();
    for (ServiceConfig s : first.breakers().services().values()) {
      registry.breaker(s.name());
    }
    applyStates(first, new ArrayList<>());

    boolean ownScheduler = b.scheduler == null;
    this.ownScheduler = ownScheduler;
    this.scheduler = ownScheduler ? newScheduler() : b.scheduler;
    HttpClient made = null;
    java.util.concurrent.ExecutorService httpExecutor = null;
    NodeGroup group = null;
    try {
      this.collector = MetricsCollector.builder(registry)
          .interval(first.monitoring().metricsInterval())
          .retention(first.monitoring().metricsRetention())
          .clock(b.clock)
          .scheduler(scheduler)
          .build();
      this.assessor = buildAssessor(first.risk());
      this.assessorSubscription = assessor.attach(collector);
      try {
        this.alerts = AlertWiring.build(first, extraSinks, clock, ticker, meterRegistry);
      } catch (IllegalArgumentException e) {
        // a rule of a sink the loader does not repeat: still a config problem, not a crash
        throw new ConfigException(List.of(new io.riskmodules.config.ConfigProblem(files.get(0).toString(), 0, 0,
            "alerts", e.getMessage())));
      }
      this.alertRegistrySubscription = alerts.attach(registry);
      this.alertAssessorSubscription = alerts.attach(assessor);
      Optional<DeploymentConfig> deployment = first.deployment();
      if (deployment.isPresent()) {
        NodeGroup.Builder nb = NodeGroup.builder(b.nodeGroupName, registry)
            .nodes(deployment.get().nodes())
            .healthChecks(deployment.get().healthCheck())
            .clock(b.clock);
        if (b.httpClient != null) {
          nb.httpClient(b.httpClient);
        } else if (b.startHealthChecks) {
          // our own executor, so close() can stop the client's workers on JDK 17 too
          httpExecutor = java.util.concurrent.Executors.newCachedThreadPool(daemonThreads("risk-modules-http"));
          made = HttpClient.newBuilder().connectTimeout(deployment.get().healthCheck().timeout())
              .executor(httpExecutor).build();
          nb.httpClient(made);
        }
        group = nb.build();
      }
      this.nodes = group;
      this.ownHttpClient = made;
      this.ownHttpExecutor = httpExecutor;
      if (b.startBackgroundTasks) {
        collector.start();
        if (group != null && b.startHealthChecks) {
          group.healthChecker().ifPresent(h -> h.start(scheduler));
        }
      }
      if (b.watchInterval != null) {
        startWatching(b.watchInterval);
      }
    } catch (RuntimeException | Error e) {
      if (alerts != null) {
        alerts.close();
      }
      shutdownScheduler();
      closeHttpClient(made, httpExecutor);
      throw e;
    }
  }

  /**
   * The runtime of {@code files}, with the process environment, the system clock and no file
   * watching.
   *
   * @throws ConfigException listing every problem of every file
   */
  public static RiskModules load(Path... files) {
    return builder().files(files).build();
  }

  /** A builder, for what tests and embedding services inject. */
  public static Builder builder() {
    return new Builder();
  }

  /** The breaker called {@code name}: its service's settings if listed, else the default's. */
  public CircuitBreaker breaker(String name) {
    return registry.breaker(name);
  }

  /** The breaker registry. */
  public CircuitBreakerRegistry registry() {
    return registry;
  }

  /** The metrics collector ({@code monitoring.metrics_interval_seconds}). */
  public MetricsCollector metrics() {
    return collector;
  }

  /** The risk assessor with the policies of {@code risk:}; replaced when a reload changes them. */
  public RiskAssessor riskAssessor() {
    return assessor;
  }

  /**
   * The alert manager: the channels of {@code alerts.channels} plus the sinks given to the builder,
   * the rules of {@code alerting}; attached to every breaker and to the risk assessor. Replaced
   * when a reload changes channels or rules.
   */
  public AlertManager alertManager() {
    return alerts;
  }

  /** The node group of the deployment file, if one was given. */
  public Optional<NodeGroup> nodeGroup() {
    return Optional.ofNullable(nodes);
  }

  /** {@code fallback.default_response}. */
  public FallbackResponse.Template fallbackResponse() {
    return fallbackResponse;
  }

  /** {@code fallback.cache_fallback}. */
  public CacheFallbackConfig cacheFallback() {
    return cacheFallback;
  }

  /** The config now running. */
  public RiskConfig config() {
    return config;
  }

  /** Registers a listener for reload outcomes, called on the thread that reloaded. */
  public Subscription onReload(Consumer<? super ReloadEvent> listener) {
    reloadListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> reloadListeners.remove(listener);
  }

  /** Reloads counted so far with {@code outcome} (as the Micrometer counter counts them). */
  public long reloadCount(ReloadEvent.Outcome outcome) {
    return reloadCounts.get(outcome).get();
  }

  /**
   * Reads the files now and applies them if they changed and are valid. An UNCHANGED outcome did
   * no work beyond comparing the files with the last read, and is neither published nor counted.
   */
  public ReloadEvent reload() {
    synchronized (reloadLock) {
      if (closed) {
        return new ReloadEvent(ReloadEvent.Outcome.UNCHANGED, clock.instant(), List.of(), List.of());
      }
      FileState[] states = FileState.of(files);
      if (Arrays.equals(states, lastSeenStates)) {
        return new ReloadEvent(ReloadEvent.Outcome.UNCHANGED, clock.instant(), List.of(), List.of());
      }
      Map<String, byte[]> contents = new LinkedHashMap<>();
      List<io.riskmodules.config.ConfigProblem> unreadable = new ArrayList<>();
      for (Path f : files) {
        try {
          contents.put(f.toString(), Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
          unreadable.add(new io.riskmodules.config.ConfigProblem(f.toString(), 0, 0, "", "file not found"));
        } catch (IOException e) {
          unreadable.add(new io.riskmodules.config.ConfigProblem(f.toString(), 0, 0, "",
              "cannot read the file: " + e.getClass().getSimpleName()));
        }
      }
      for (FileState st : states) {
        if (st != null && st.size() > loader.maxFileBytes()) {
          contents.clear(); // never held: the loader refuses it unread, with the others' problems
        }
      }
      byte[] digest = digest(contents);
      lastSeenStates = states;
      if (unreadable.isEmpty() && Arrays.equals(digest, lastSeenDigest)) {
        return new ReloadEvent(ReloadEvent.Outcome.UNCHANGED, clock.instant(), List.of(), List.of());
      }
      lastSeenDigest = digest;
      ReloadEvent event;
      if (!unreadable.isEmpty()) {
        event = rejected(unreadable);
      } else {
        try {
          RiskConfig next = contents.isEmpty() ? loader.load(files.toArray(Path[]::new)) : loader.parse(contents);
          AlertManager fresh = null;
          if (!next.alertChannels().equals(config.alertChannels()) || !next.alerting().equals(config.alerting())) {
            try {
              fresh = AlertWiring.build(next, extraSinks, clock, ticker, meterRegistry);
            } catch (IllegalArgumentException e) {
              throw new ConfigException(List.of(new io.riskmodules.config.ConfigProblem(files.get(0).toString(), 0, 0,
                  "alerts", e.getMessage())));
            }
          }
          List<String> changes = apply(next);
          if (fresh != null) {
            swapAlerts(fresh);
            changes.add("alert channels and rules");
          }
          if (rejectionAlertFiring) {
            alerts.resolve(RELOAD_REJECTED_ALERT);
            rejectionAlertFiring = false;
          }
          event = new ReloadEvent(ReloadEvent.Outcome.APPLIED, clock.instant(), changes, List.of());
        } catch (ConfigException e) {
          event = rejected(e.problems());
        }
      }
      publish(event);
      return event;
    }
  }

  /** Key of the alert a rejected reload raises; an applied reload resolves it. */
  public static final String RELOAD_REJECTED_ALERT = "config_reload_rejected";

  private ReloadEvent rejected(List<io.riskmodules.config.ConfigProblem> problems) {
    String listed = String.join("\n", problems.stream().map(Object::toString).toList());
    log.error("config reload rejected, the running config stays:\n{}", listed);
    try {
      alerts.fire(new Alert(RELOAD_REJECTED_ALERT, AlertKind.CUSTOM, Severity.HIGH, "risk-config",
          "Config reload rejected: the running config stays", listed, Alert.Status.FIRING, clock.instant(), null,
          Map.of("reason", "invalid_config")));
      rejectionAlertFiring = true;
    } catch (RuntimeException e) {
      log.warn("could not raise the reload alert", e);
    }
    return new ReloadEvent(ReloadEvent.Outcome.REJECTED, clock.instant(), List.of(), problems);
  }

  private void publish(ReloadEvent event) {
    reloadCounts.get(event.outcome()).incrementAndGet();
    Counter c = reloadCounters.get(event.outcome());
    if (c != null) {
      c.increment();
    }
    if (event.outcome() == ReloadEvent.Outcome.APPLIED) {
      log.info("config reloaded: {}", event.changes());
    }
    for (Consumer<? super ReloadEvent> l : reloadListeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        log.warn("a reload listener failed", e);
      }
    }
  }

  /** Applies a validated config to the live runtime; returns what changed. Called under reloadLock. */
  private List<String> apply(RiskConfig next) {
    RiskConfig previous = config;
    List<String> changes = new ArrayList<>();
    if (!next.breakers().defaults().toString().equals(previous.breakers().defaults().toString())
        || !sameExceptions(next.breakers().defaults(), previous.breakers().defaults())) {
      registry.configureDefault(next.breakers().defaults());
      changes.add("circuit_breaker.default");
    }
    next.breakers().shared().forEach((name, shared) -> {
      CircuitBreakerConfig old = previous.breakers().shared().get(name);
      if (old == null || !old.toString().equals(shared.toString()) || !sameExceptions(old, shared)) {
        registry.addConfiguration(name, shared); // for breakers made with registry.breaker(name, configName)
        changes.add("circuit_breaker.configs." + name);
      }
    });
    List<String> added = new ArrayList<>();
    List<String> reconfigured = new ArrayList<>();
    for (ServiceConfig s : next.breakers().services().values()) {
      ServiceConfig old = previous.breakers().services().get(s.name());
      if (old == null) {
        registry.configure(s.name(), s.config());
        registry.breaker(s.name());
        added.add(s.name());
      } else if (!old.config().toString().equals(s.config().toString()) || !sameExceptions(old.config(), s.config())) {
        registry.configure(s.name(), s.config());
        reconfigured.add(s.name());
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : previous.breakers().services().keySet()) {
      if (!next.breakers().services().containsKey(name)) {
        // back to the default for whoever still holds it, then out of the registry and its metrics
        registry.configure(name, next.breakers().defaults());
        registry.remove(name);
        overridden.remove(name);
        removed.add(name);
      }
    }
    if (!added.isEmpty()) {
      changes.add("services added: " + added);
    }
    if (!reconfigured.isEmpty()) {
      changes.add("services reconfigured: " + reconfigured);
    }
    if (!removed.isEmpty()) {
      changes.add("services removed: " + removed);
    }
    applyStates(next, changes);
    if (!next.risk().equals(previous.risk())) {
      RiskAssessor fresh = buildAssessor(next.risk());
      Subscription old = assessorSubscription;
      assessorSubscription = fresh.attach(collector);
      old.close();
      assessor = fresh;
      alertAssessorSubscription.close();
      alertAssessorSubscription = alerts.attach(fresh);
      changes.add("risk policies");
    }
    if (!next.fallback().equals(previous.fallback())) {
      fallbackResponse = next.fallback().defaultResponse();
      cacheFallback = next.fallback().cache();
      changes.add("fallback");
    }
    if (!next.monitoring().equals(previous.monitoring())) {
      changes.add("monitoring (applies at restart)");
    }
    if (!next.deployment().equals(previous.deployment())) {
      changes.add("deployment (applies at restart)");
    }
    config = next;
    return changes;
  }

  /** Attaches {@code fresh} where the old manager was, then closes the old one (flushing what it holds). */
  private void swapAlerts(AlertManager fresh) {
    AlertManager old = alerts;
    alertRegistrySubscription.close();
    alertAssessorSubscription.close();
    alertRegistrySubscription = fresh.attach(registry);
    alertAssessorSubscription = fresh.attach(assessor);
    alerts = fresh;
    if (rejectionAlertFiring) {
      old.resolve(RELOAD_REJECTED_ALERT);
    }
    old.close();
  }

  private static boolean sameExceptions(CircuitBreakerConfig a, CircuitBreakerConfig b) {
    return a.recordExceptions().equals(b.recordExceptions()) && a.ignoreExceptions().equals(b.ignoreExceptions())
        && a.writableStackTrace() == b.writableStackTrace() && a.openTimeoutMultiplier() == b.openTimeoutMultiplier()
        && a.maxOpenTimeout().equals(b.maxOpenTimeout()) && a.halfOpenProbeTimeout().equals(b.halfOpenProbeTimeout());
  }

  /** Trips, disables or releases breakers as the file's {@code state:} says. */
  private void applyStates(RiskConfig next, List<String> changes) {
    for (ServiceConfig s : next.breakers().services().values()) {
      CircuitBreaker b = registry.breaker(s.name());
      switch (s.state()) {
        case FORCED_OPEN, DISABLED, METRICS_ONLY -> {
          CircuitState target = switch (s.state()) {
            case FORCED_OPEN -> CircuitState.FORCED_OPEN;
            case METRICS_ONLY -> CircuitState.METRICS_ONLY;
            default -> CircuitState.DISABLED;
          };
          if (b.state() != target) {
            b.transitionTo(target);
            changes.add(s.name() + " " + s.state().value());
          }
          overridden.add(s.name());
        }
        case AUTO -> {
          if (overridden.remove(s.name())
              && (b.state() == CircuitState.FORCED_OPEN || b.state() == CircuitState.DISABLED
                  || b.state() == CircuitState.METRICS_ONLY)) {
            b.reset();
            changes.add(s.name() + " released");
          }
        }
      }
    }
  }

  private static RiskAssessor buildAssessor(RiskPoliciesConfig risk) {
    RiskAssessor.Builder ab = RiskAssessor.builder()
        .defaultPolicy(risk.defaults().toPolicy())
        .hysteresis(risk.hysteresisPoints());
    risk.services().forEach((name, p) -> ab.policy(name, p.toPolicy()));
    return ab.build();
  }

  private void startWatching(Duration interval) {
    try {
      watcher = new FileWatcher(files, this::reloadQuietly, daemonThreads("risk-modules-config-watch"));
    } catch (IOException e) {
      log.warn("file events unavailable ({}); checking the config files every {} only", e.toString(), interval);
    }
    long millis = interval.toMillis();
    poll = scheduler.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      log.warn("config reload failed", e);
    }
  }

  /** Stops file watching, sampling and health checks, and every thread this object started. */
  @Override
  public void close() {
    synchronized (reloadLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (watcher != null) {
      watcher.close();
    }
    if (poll != null) {
      poll.cancel(false);
    }
    if (nodes != null) {
      nodes.healthChecker().ifPresent(HealthChecker::close);
    }
    assessorSubscription.close();
    collector.close();
    synchronized (reloadLock) {
      alertRegistrySubscription.close();
      alertAssessorSubscription.close();
      alerts.close();
    }
    shutdownScheduler();
    closeHttpClient(ownHttpClient, ownHttpExecutor);
  }

  private void shutdownScheduler() {
    if (ownScheduler && scheduler != null) {
      scheduler.shutdownNow();
      try {
        if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("the risk-modules scheduler did not stop within 5 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** JDK 21 and later close an HttpClient's selector thread; on 17 it ends once the client is collected. */
  private static void closeHttpClient(HttpClient client, java.util.concurrent.ExecutorService executor) {
    if (executor != null) {
      executor.shutdownNow();
    }
    if (client instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing the health check HTTP client", e);
      }
    }
  }

  private static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemonThreads("risk-modules-scheduler"));
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static byte[] digest(Map<String, byte[]> contents) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : contents.entrySet()) {
        md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(e.getValue());
        md.update((byte) 0);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a stat of a file says, so that an untouched file is not even read. */
  private record FileState(long size, long modifiedNanos, Object key) {
    static FileState[] of(List<Path> files) {
      FileState[] out = new FileState[files.size()];
      for (int i = 0; i < out.length; i++) {
        try {
          var attrs = Files.readAttributes(files.get(i), java.nio.file.attribute.BasicFileAttributes.class);
          out[i] = new FileState(attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), attrs.fileKey());
        } catch (IOException e) {
          out[i] = null;
        }
      }
      return out;
    }
  }

  /** Builds a {@link RiskModules}. Not thread-safe. */
  public static final class Builder {
    private final List<Path> files = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Ticker ticker;
    private Executor eventExecutor;
    private ScheduledExecutorService scheduler;
    private Function<String, String> environment = System::getenv;
    private MeterRegistry meterRegistry;
    private HttpClient httpClient;
    private Duration watchInterval;
    private boolean startBackgroundTasks = true;
    private boolean startHealthChecks = true;
    private String nodeGroupName = "inf";
    private final List<AlertWiring.ExtraSink> extraSinks = new ArrayList<>();

    Builder() {}

    /** The config files (any of the three, in any order). */
    public Builder files(Path... paths) {
      for (Path p : paths) {
        files.add(Objects.requireNonNull(p, "path"));
      }
      return this;
    }

    /** Wall clock for timestamps (default: UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Monotonic ticker of the breakers (default: the system ticker). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Where breaker listeners run (default: the common pool). */
    public Builder eventExecutor(Executor executor) {
      this.eventExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Where sampling, health checks and the periodic file check run. Default: one daemon thread
     * of this object's own, stopped by {@link RiskModules#close()}; a scheduler given here is left
     * running, and the breakers' timed work (call timeouts, automatic transitions) runs on it too
     * (without one, on the breakers' own shared timer).
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where {@code ${VAR}} takes values (default: the process environment). */
    public Builder environment(Map<String, String> variables) {
      return environment(Map.copyOf(variables)::get);
    }

    /** Where {@code ${VAR}} takes values: a lookup that returns null for unset variables. */
    public Builder environment(Function<String, String> lookup) {
      this.environment = Objects.requireNonNull(lookup, "lookup");
      return this;
    }

    /** Registers {@code risk.config.reloads{outcome}} there (default: not registered). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The HTTP client of the health checks (default: one of this object's own). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Watches the files and reloads on change: file events as they come, and a check every {@code
     * interval} where events are unreliable (network file systems, some containers). Off by default.
     */
    public Builder watch(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("watch interval must be from 10 ms to 1 day, was " + interval);
      }
      this.watchInterval = interval;
      return this;
    }

    /**
     * Whether sampling and health checks start at build (default true). Tests that drive {@code
     * metrics().sampleNow()} and {@code probeAll()} themselves turn this off.
     */
    public Builder startBackgroundTasks(boolean start) {
      this.startBackgroundTasks = start;
      return this;
    }

    /** Whether the deployment file's health checks probe the nodes (default true). */
    public Builder startHealthChecks(boolean start) {
      this.startHealthChecks = start;
      return this;
    }

    /**
     * Adds an alert sink beside the file's channels, for {@code severities} (none: every
     * severity); a test's recording sink, a log sink, a sink of the embedding service.
     */
    public Builder alertSink(AlertSink sink, Severity... severities) {
      Objects.requireNonNull(sink, "sink");
      extraSinks.add(new AlertWiring.ExtraSink(sink, severities.length == 0 ? java.util.EnumSet.allOf(Severity.class)
          : java.util.EnumSet.copyOf(List.of(severities))));
      return this;
    }

    /** The name of the deployment file's node group (default {@code inf}). */
    public Builder nodeGroupName(String name) {
      this.nodeGroupName = Objects.requireNonNull(name, "name");
      return this;
    }

    ConfigLoader loader() {
      return ConfigLoader.builder().environment(environment).build();
    }

    /**
     * Loads the files and builds the runtime.
     *
     * @throws ConfigException listing every problem of every file; nothing is started then
     * @throws IllegalStateException if no file was given
     */
    public RiskModules build() {
      if (files.isEmpty()) {
        throw new IllegalStateException("no config file given: call files(...) first");
      }
      FileState[] states = FileState.of(files);
      ConfigLoader loader = loader();
      loader.load(files.toArray(Path[]::new)); // every problem of every file, big files unread
      Map<String, byte[]> contents = new LinkedHashMap<>();
      for (Path f : files) {
        try {
          contents.put(f.toString(), Files.readAllBytes(f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      RiskConfig first = loader.parse(contents); // what was digested is what runs
      return new RiskModules(this, first, digest(contents), states);
    }
  }
}
