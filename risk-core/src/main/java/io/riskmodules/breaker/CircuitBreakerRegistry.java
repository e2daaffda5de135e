package io.riskmodules.breaker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named circuit breakers with their configs: a default config plus one per name. A plain object,
 * never a singleton, so tests and multi-tenant services can hold as many as they need.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
 *     .config("payment_service", CircuitBreakerConfig.builder().failureThreshold(3).build())
 *     .build();
 * CircuitBreaker payments = registry.breaker("payment_service");   // created on first use
 * registry.configure("payment_service", stricter);                 // applied to the live breaker
 * }</pre>
 *
 * <p>Thread-safe. {@link #breaker(String)} creates at most one breaker per name. Registry events
 * are delivered synchronously on the thread that made the change, after it, with no lock held.
 */
public final class CircuitBreakerRegistry {

  private static final Logger log = LoggerFactory.getLogger(CircuitBreakerRegistry.class);

  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CircuitBreakerConfig> configs;
  /** Breakers given a config at creation, by name: the default does not apply to them. */
  private final ConcurrentHashMap<String, CircuitBreaker> createdWithOwnConfig = new ConcurrentHashMap<>();
  private final List<Consumer<? super RegistryEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Ticker ticker;
  private final Clock clock;
  private final Executor eventExecutor;
  /** Null: the breakers' shared default. */
  private final ScheduledExecutorService scheduler;
  private volatile CircuitBreakerConfig defaultConfig;
  /** Named shared configs ({@link #addConfiguration}), "default" aside. */
  private final ConcurrentHashMap<String, CircuitBreakerConfig> shared;
  /** The shared config each breaker made by {@link #breaker(String, String)} is based on, by name. */
  private final ConcurrentHashMap<String, String> basedOn = new ConcurrentHashMap<>();
  private final Map<String, String> tags;

  private CircuitBreakerRegistry(Builder b) {
    this.shared = new ConcurrentHashMap<>(b.shared);
    this.tags = b.tags;
    this.defaultConfig = b.defaultConfig;
    this.configs = new ConcurrentHashMap<>(b.configs);
    this.ticker = b.ticker;
    this.clock = b.clock;
    this.eventExecutor = b.eventExecutor;
    this.scheduler = b.scheduler;
  }

  /** A registry whose breakers all use RFC-136's defaults. */
  public static CircuitBreakerRegistry ofDefaults() {
    return builder().build();
  }

  /** A registry whose breakers use {@code defaultConfig} unless configured by name. */
  public static CircuitBreakerRegistry of(CircuitBreakerConfig defaultConfig) {
    return builder().defaultConfig(defaultConfig).build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The breaker called {@code name}, created with {@link #configFor(String)} if it does not exist. */
  public CircuitBreaker breaker(String name) {
    return breaker(name, (CircuitBreakerConfig) null);
  }

  /**
   * The breaker called {@code name}; if it does not exist it is created with {@code config} (or the
   * config for its name when null). An existing breaker keeps its config. A config given here is
   * the breaker's own: {@link #configureDefault} leaves it alone; {@link #configure} replaces it.
   */
  public CircuitBreaker breaker(String name, CircuitBreakerConfig config) {
    Objects.requireNonNull(name, "name");
    CircuitBreaker existing = breakers.get(name);
    if (existing != null) {
      return existing;
    }
    CircuitBreaker[] created = new CircuitBreaker[1];
    CircuitBreaker breaker = breakers.computeIfAbsent(name, n -> {
      CircuitBreaker.Builder builder = CircuitBreaker.builder(n)
          .config(config != null ? config : configFor(n))
          .ticker(ticker)
          .clock(clock)
          .eventExecutor(eventExecutor)
          .tags(tags);
      if (scheduler != null) {
        builder.scheduler(scheduler);
      }
      created[0] = builder.build();
      if (config != null) {
        // before the breaker is visible, so that no configureDefault can see it without this
        createdWithOwnConfig.put(n, created[0]);
      }
      return created[0];
    });
    if (created[0] != null) {
      publish(new RegistryEvent.Added(created[0]));
      if (config == null) {
        catchUp(created[0]);
      }
    }
    return breaker;
  }

  /**
   * A configure or configureDefault that ran while {@code created} was being made found no breaker
   * to apply to, and the config it replaced may be the one {@code created} was built with: apply
   * the latest until it stays put.
   */
  private void catchUp(CircuitBreaker created) {
    CircuitBreakerConfig latest;
    while ((latest = configFor(created.name())) != created.config()) {
      reconfigure(created, latest);
    }
  }

  /** The breaker called {@code name}, if it exists. */
  public Optional<CircuitBreaker> find(String name) {
    return Optional.ofNullable(breakers.get(name));
  }

  /** Every breaker, in no particular order: a snapshot. */
  public List<CircuitBreaker> all() {
    return new ArrayList<>(breakers.values());
  }

  /** Removes the breaker called {@code name}; it keeps working for whoever still holds it. */
  public Optional<CircuitBreaker> remove(String name) {
    CircuitBreaker removed = breakers.remove(name);
    if (removed != null) {
      createdWithOwnConfig.remove(name, removed);
      basedOn.remove(name);
      publish(new RegistryEvent.Removed(removed));
    }
    return Optional.ofNullable(removed);
  }

  /**
   * The config a breaker called {@code name} gets: its own if configured, else the shared one it
   * was made with by {@link #breaker(String, String)}, else the default.
   */
  public CircuitBreakerConfig configFor(String name) {
    CircuitBreakerConfig own = configs.get(name);
    if (own != null) {
      return own;
    }
    String base = basedOn.get(name);
    CircuitBreakerConfig sharedConfig = base == null ? null : shared.get(base);
    return sharedConfig != null ? sharedConfig : defaultConfig;
  }

  /**
   * The breaker called {@code name}, created with the shared config {@code configName} if it does
   * not exist (Resilience4j's {@code circuitBreaker(name, configName)}); an existing breaker is
   * returned as it is. The breaker then follows that shared config: {@link #addConfiguration}
   * under the same name reconfigures it, unless it has a config of its own ({@link #configure}).
   *
   * <pre>{@code
   * registry.addConfiguration("strict", CircuitBreakerConfig.builder().failureThreshold(2).build());
   * CircuitBreaker payments = registry.breaker("payment_service", "strict");
   * }</pre>
   *
   * @throws IllegalArgumentException if there is no shared config {@code configName}
   */
  public CircuitBreaker breaker(String name, String configName) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(configName, "configName");
    CircuitBreaker existing = breakers.get(name);
    if (existing != null) {
      return existing;
    }
    if (configName.equals(DEFAULT)) {
      return breaker(name);
    }
    if (!shared.containsKey(configName)) {
      throw new IllegalArgumentException("no shared circuit breaker config '" + configName + "'; known: "
          + new java.util.TreeSet<>(shared.keySet()));
    }
    basedOn.putIfAbsent(name, configName);
    return breaker(name);
  }

  /**
   * Adds or replaces the shared config {@code configName} (Resilience4j's {@code
   * addConfiguration}); {@code "default"} names the default config ({@link #configureDefault}). A
   * replaced one is applied to the live breakers made with it that have no config of their own.
   */
  public void addConfiguration(String configName, CircuitBreakerConfig config) {
    Objects.requireNonNull(configName, "configName");
    Objects.requireNonNull(config, "config");
    if (configName.equals(DEFAULT)) {
      configureDefault(config);
      return;
    }
    shared.put(configName, config);
    for (CircuitBreaker live : breakers.values()) {
      if (configName.equals(basedOn.get(live.name())) && !configs.containsKey(live.name())
          && createdWithOwnConfig.get(live.name()) != live) {
        reconfigure(live, config);
      }
    }
  }

  /** The shared config {@code configName} ({@code "default"}: the default config), if there is one. */
  public Optional<CircuitBreakerConfig> configuration(String configName) {
    Objects.requireNonNull(configName, "configName");
    return configName.equals(DEFAULT) ? Optional.of(defaultConfig) : Optional.ofNullable(shared.get(configName));
  }

  /** The shared configs by name, {@code "default"} included: a snapshot. */
  public Map<String, CircuitBreakerConfig> configurations() {
    Map<String, CircuitBreakerConfig> all = new java.util.HashMap<>(shared);
    all.put(DEFAULT, defaultConfig);
    return Map.copyOf(all);
  }

  /** The name of the shared config the breaker called {@code name} is based on, if it was made with one. */
  public Optional<String> baseConfigOf(String name) {
    return Optional.ofNullable(basedOn.get(name));
  }

  /** The tags every breaker of this registry carries (see {@link CircuitBreaker#tags()}). */
  public Map<String, String> tags() {
    return tags;
  }

  private static final String DEFAULT = "default";

  /** The config of breakers without one of their own. */
  public CircuitBreakerConfig defaultConfig() {
    return defaultConfig;
  }

  /** The per-name configs: a snapshot. */
  public Map<String, CircuitBreakerConfig> configs() {
    return Map.copyOf(configs);
  }

  /**
   * Sets the config for {@code name} and applies it to the live breaker of that name, if any,
   * keeping its state and, where compatible, its window.
   */
  public void configure(String name, CircuitBreakerConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    configs.put(name, config);
    CircuitBreaker live = breakers.get(name);
    if (live != null) {
      reconfigure(live, config);
    }
  }

  /**
   * Sets the default config and applies it to every live breaker that has no config of its own:
   * none configured by name, none given to {@link #breaker(String, CircuitBreakerConfig)}, none
   * made with a shared config ({@link #breaker(String, String)}: it follows that one).
   */
  public void configureDefault(CircuitBreakerConfig config) {
    this.defaultConfig = Objects.requireNonNull(config, "config");
    for (CircuitBreaker live : breakers.values()) {
      if (!configs.containsKey(live.name()) && createdWithOwnConfig.get(live.name()) != live
          && !followsSharedConfig(live.name())) {
        reconfigure(live, config);
      }
    }
  }

  /** Whether the breaker called {@code name} was made with a shared config that still exists. */
  private boolean followsSharedConfig(String name) {
    String base = basedOn.get(name);
    return base != null && shared.containsKey(base);
  }

  private void reconfigure(CircuitBreaker live, CircuitBreakerConfig config) {
    CircuitBreakerConfig previous = live.config();
    if (previous == config) {
      return;
    }
    live.reconfigure(config);
    publish(new RegistryEvent.Reconfigured(live, previous, config));
  }

  /** Registers a listener for registry events. */
  public Subscription onEvent(Consumer<? super RegistryEvent> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void publish(RegistryEvent event) {
    for (Consumer<? super RegistryEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        log.warn("a circuit breaker registry listener failed on {}", event.getClass().getSimpleName(), e);
      }
    }
  }

  /** Builds a {@link CircuitBreakerRegistry}. Not thread-safe. */
  public static final class Builder {
    private CircuitBreakerConfig defaultConfig = CircuitBreakerConfig.ofDefaults();
    private final Map<String, CircuitBreakerConfig> configs = new ConcurrentHashMap<>();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private Executor eventExecutor = ForkJoinPool.commonPool();
    private ScheduledExecutorService scheduler;
    private final Map<String, CircuitBreakerConfig> shared = new ConcurrentHashMap<>();
    private Map<String, String> tags = Map.of();

    Builder() {}

    /** A shared config; see {@link CircuitBreakerRegistry#addConfiguration}. */
    public Builder addConfiguration(String configName, CircuitBreakerConfig config) {
      Objects.requireNonNull(configName, "configName");
      Objects.requireNonNull(config, "config");
      if (configName.equals(DEFAULT)) {
        return defaultConfig(config);
      }
      shared.put(configName, config);
      return this;
    }

    /**
     * Tags of every breaker the registry makes, on their events and meters (say {@code
     * Map.of("region", "eu")}); checked as {@link CircuitBreaker.Builder#tags} does.
     */
    public Builder tags(Map<String, String> tags) {
      this.tags = CircuitBreaker.Builder.checkedTags(tags);
      return this;
    }

    /** The config of breakers without one of their own (default: RFC-136's). */
    public Builder defaultConfig(CircuitBreakerConfig config) {
      this.defaultConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The config of the breaker called {@code name}. */
    public Builder config(String name, CircuitBreakerConfig config) {
      configs.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
      return this;
    }

    /** The ticker every breaker measures durations with (default: the system's). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The clock every breaker stamps events with (default: UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where breakers' listeners run (default: the common pool). */
    public Builder eventExecutor(Executor executor) {
      this.eventExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Where every breaker's timed work runs; see {@link CircuitBreaker.Builder#scheduler}. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The registry, empty. */
    public CircuitBreakerRegistry build() {
      return new CircuitBreakerRegistry(this);
    }
  }
}
