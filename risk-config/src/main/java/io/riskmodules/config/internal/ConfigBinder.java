package io.riskmodules.config.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.fallback.CacheFallbackConfig;
import io.riskmodules.breaker.fallback.FallbackResponse;
import io.riskmodules.config.AlertChannelConfig;
import io.riskmodules.config.AlertingConfig;
import io.riskmodules.config.BreakersConfig;
import io.riskmodules.config.DeploymentConfig;
import io.riskmodules.config.FallbackConfig;
import io.riskmodules.config.InhibitRuleConfig;
import io.riskmodules.config.MonitoringConfig;
import io.riskmodules.config.RiskConfig;
import io.riskmodules.config.RiskPoliciesConfig;
import io.riskmodules.config.RiskPolicyConfig;
import io.riskmodules.config.RollbackConfig;
import io.riskmodules.config.Secret;
import io.riskmodules.config.ServiceConfig;
import io.riskmodules.config.ServiceState;
import io.riskmodules.failover.HealthCheckConfig;
import io.riskmodules.failover.Node;
import io.riskmodules.failover.NodeRole;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds parsed files to a {@link RiskConfig}. Each top-level key is a section, recognised
 * whatever the file is called; a section may appear in one file only. Every problem is collected;
 * the caller throws them all at once.
 */
public final class ConfigBinder {

  /** Top-level keys and the file the RFC puts them in. */
  static final List<String> SECTIONS = List.of("circuit_breaker", "monitoring", "alerts", "fallback",
      "deployment", "nodes", "health_check", "rollback", "alerting", "risk");
  static final List<String> CHANNEL_TYPES = List.of("slack", "pagerduty", "email", "webhook");
  static final List<String> STATES = List.of("auto", "forced_open", "disabled", "metrics_only");
  static final List<String> RISK_LEVELS = List.of("low", "medium", "high", "critical");

  private final Problems problems;
  private final Function<String, String> env;
  private final ClassLoader classLoader;
  private final Map<String, YamlValue> sections = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final List<String> files = new ArrayList<>();

  private final boolean allowMissingVariables;

  public ConfigBinder(Problems problems, Function<String, String> env, ClassLoader classLoader) {
    this(problems, env, classLoader, false);
  }

  /** With {@code allowMissingVariables}, a missing variable leaves its value unset instead of being a problem. */
  public ConfigBinder(Problems problems, Function<String, String> env, ClassLoader classLoader,
      boolean allowMissingVariables) {
    this.allowMissingVariables = allowMissingVariables;
    this.problems = problems;
    this.env = env;
    this.classLoader = classLoader;
  }

  /** Takes in one parsed file. */
  public void add(String file, org.yaml.snakeyaml.nodes.Node root) {
    files.add(file);
    Ctx ctx = new Ctx(file, problems, env, allowMissingVariables);
    YamlValue rootValue = YamlValue.root(ctx, root);
    if (!rootValue.isMap()) {
      rootValue.problem("the file must be a mapping of top-level keys (" + String.join(", ", SECTIONS) + ")");
      return;
    }
    YamlMap top = rootValue.map();
    YamlValue version = top.get("version");
    if (version != null) {
      String v = version.string();
      if (v != null && !v.equals("1") && !v.startsWith("1.")) {
        version.problem("unsupported version '" + v + "': this library reads version 1.x");
      }
    }
    YamlValue meta = top.get("metadata");
    if (meta != null) {
      YamlMap m = meta.map();
      if (m != null) {
        for (Map.Entry<String, YamlValue> e : m.entries().entrySet()) {
          String s = e.getValue().isNull() ? "" : e.getValue().string();
          if (s != null) {
            metadata.put(e.getKey(), s);
          }
        }
      }
    }
    boolean any = false;
    for (String section : SECTIONS) {
      YamlValue v = top.get(section);
      if (v == null) {
        continue;
      }
      any = true;
      YamlValue earlier = sections.putIfAbsent(section, v);
      if (earlier != null) {
        v.problem("section '" + section + "' is also in " + earlier.ctx.file + ":" + (earlier.mark.getLine() + 1)
            + "; a section may be given in one file only");
      }
    }
    top.finish();
    if (!any && top.entries().keySet().stream().allMatch(k -> k.equals("version") || k.equals("metadata"))) {
      rootValue.problem("no Risk Modules section: expected at least one of " + String.join(", ", SECTIONS));
    }
  }

  /** The config, or null if there were problems (they are in the problem list). */
  public RiskConfig bind() {
    BreakersConfig breakers = Optional.ofNullable(sections.get("circuit_breaker")).map(this::breakers)
        .orElse(BreakersConfig.ofDefaults());
    MonitoringConfig monitoring = Optional.ofNullable(sections.get("monitoring")).map(this::monitoring)
        .orElse(MonitoringConfig.ofDefaults());
    List<AlertChannelConfig> channels = Optional.ofNullable(sections.get("alerts")).map(this::alerts)
        .orElse(List.of());
    FallbackConfig fallback = Optional.ofNullable(sections.get("fallback")).map(this::fallback)
        .orElse(FallbackConfig.ofDefaults());
    Optional<DeploymentConfig> deployment = deployment(monitoring);
    Set<String> knownServices = sections.containsKey("circuit_breaker") ? breakers.services().keySet() : null;
    AlertingConfig alerting = Optional.ofNullable(sections.get("alerting")).map(v -> alerting(v, knownServices))
        .orElse(AlertingConfig.ofDefaults());
    RiskPoliciesConfig risk = Optional.ofNullable(sections.get("risk")).map(v -> risk(v, knownServices))
        .orElse(RiskPoliciesConfig.ofDefaults());
    if (!problems.isEmpty()) {
      return null;
    }
    return new RiskConfig(files, metadata, breakers, monitoring, channels, fallback, deployment, alerting, risk);
  }

  // ---------------------------------------------------------------- circuit_breaker

  private BreakersConfig breakers(YamlValue section) {
    YamlMap m = section.map();
    if (m == null) {
      return BreakersConfig.ofDefaults();
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    YamlValue def = m.get("default");
    CircuitBreakerConfig defaultConfig = CircuitBreakerConfig.ofDefaults();
    if (def != null) {
      YamlMap dm = def.map();
      if (dm != null) {
        readBreakerKeys(dm, defaults, false);
        dm.finish();
        defaultConfig = buildBreaker(def, defaults);
      }
    }
    // named shared configs, each based on default key by key, for services' base_config
    Map<String, Map<String, Object>> sharedValues = new LinkedHashMap<>();
    Map<String, CircuitBreakerConfig> shared = new LinkedHashMap<>();
    YamlValue cfgs = m.get("configs");
    if (cfgs != null) {
      YamlMap cm = cfgs.map();
      if (cm != null) {
        for (Map.Entry<String, YamlValue> e : cm.entries().entrySet()) {
          Map<String, Object> values = new LinkedHashMap<>(defaults);
          YamlValue v = e.getValue();
          if (e.getKey().isBlank() || e.getKey().equals("default")) {
            v.problem("a shared config needs a name other than 'default', was '" + e.getKey() + "'");
            continue;
          }
          if (!v.isNull()) {
            YamlMap one = v.map();
            if (one == null) {
              continue;
            }
            readBreakerKeys(one, values, false);
            one.finish();
          }
          CircuitBreakerConfig config = buildBreaker(v, values);
          sharedValues.put(e.getKey(), values);
          if (config != null) {
            shared.put(e.getKey(), config);
          }
        }
      }
    }
    Map<String, ServiceConfig> services = new LinkedHashMap<>();
    YamlValue svc = m.get("services");
    if (svc != null) {
      YamlMap sm = svc.map();
      if (sm != null) {
        for (Map.Entry<String, YamlValue> e : sm.entries().entrySet()) {
          String name = e.getKey();
          YamlValue v = e.getValue();
          if (name.isBlank()) {
            v.problem("service names must not be empty");
            continue;
          }
          Map<String, Object> values = new LinkedHashMap<>(defaults);
          ServiceState state = ServiceState.AUTO;
          if (!v.isNull()) {
            YamlMap one = v.map();
            if (one == null) {
              continue;
            }
            YamlValue base = one.get("base_config");
            if (base != null) {
              String baseName = base.nonBlank();
              if (baseName == null) {
                continue;
              }
              if (!sharedValues.containsKey(baseName)) {
                base.problem("no shared config '" + baseName + "' under circuit_breaker.configs; known: "
                    + sharedValues.keySet());
                continue;
              }
              values = new LinkedHashMap<>(sharedValues.get(baseName));
            }
            state = readBreakerKeys(one, values, true);
            one.finish();
          }
          CircuitBreakerConfig config = buildBreaker(v, values);
          if (config != null && state != null) {
            services.put(name, new ServiceConfig(name, config, state));
          }
        }
      }
    }
    m.finish();
    return new BreakersConfig(defaultConfig == null ? CircuitBreakerConfig.ofDefaults() : defaultConfig, services,
        shared);
  }

  /** Reads the breaker keys into {@code values} (overriding inherited ones); returns the state override. */
  private ServiceState readBreakerKeys(YamlMap m, Map<String, Object> values, boolean service) {
    put(values, "failure_threshold", m.get("failure_threshold"), v -> v.integer(1, Integer.MAX_VALUE));
    put(values, "success_threshold", m.get("success_threshold"), v -> v.integer(1, Integer.MAX_VALUE));
    put(values, "timeout_seconds", m.get("timeout_seconds"), v -> v.duration(ChronoUnit.SECONDS));
    put(values, "open_timeout_multiplier", m.get("open_timeout_multiplier"), v -> v.numberAtLeast(1.0));
    put(values, "max_open_timeout_seconds", m.get("max_open_timeout_seconds"), v -> v.duration(ChronoUnit.SECONDS));
    put(values, "half_open_max_calls", m.get("half_open_max_calls"), v -> v.integer(1, 1000));
    put(values, "half_open_probe_timeout_seconds", m.get("half_open_probe_timeout_seconds"),
        v -> v.duration(ChronoUnit.SECONDS));
    put(values, "failure_rate_threshold", m.get("failure_rate_threshold"), YamlValue::rate);
    put(values, "slow_call_duration_threshold", m.get("slow_call_duration_threshold"),
        v -> v.duration(ChronoUnit.MILLIS));
    put(values, "slow_call_rate_threshold", m.get("slow_call_rate_threshold"), YamlValue::rate);
    put(values, "slow_call_detection", m.get("slow_call_detection"), YamlValue::bool);
    put(values, "minimum_number_of_calls", m.get("minimum_number_of_calls"), v -> v.integer(1, Integer.MAX_VALUE));
    put(values, "sliding_window_type", m.get("sliding_window_type"),
        v -> v.oneOf(List.of("count_based", "time_based")));
    put(values, "sliding_window_size", m.get("sliding_window_size"), v -> v.integer(1, 1_000_000));
    put(values, "record_exceptions", m.get("record_exceptions"), this::exceptions);
    put(values, "ignore_exceptions", m.get("ignore_exceptions"), this::exceptions);
    put(values, "writable_stack_trace", m.get("writable_stack_trace"), YamlValue::bool);
    readTimedWorkKeys(m, values);
    // issue 13 items 6-9: half-open m of n, jittered backoff
    put(values, "half_open_probe_window", m.get("half_open_probe_window"), v -> v.integer(1, 10_000));
    put(values, "open_timeout_jitter", m.get("open_timeout_jitter"), ConfigBinder::jitter);
    if (!service) {
      return ServiceState.AUTO;
    }
    YamlValue state = m.get("state");
    if (state == null) {
      return ServiceState.AUTO;
    }
    String s = state.oneOf(STATES);
    return s == null ? null : ServiceState.valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }

  /** Keys of issue #13's timed work (automatic transitions, call timeout). */
  private static void readTimedWorkKeys(YamlMap m, Map<String, Object> values) {
    put(values, "automatic_transition_from_open_to_half_open", m.get("automatic_transition_from_open_to_half_open"),
        YamlValue::bool);
    put(values, "call_timeout_ms", m.get("call_timeout_ms"), v -> v.duration(ChronoUnit.MILLIS));
    put(values, "interrupt_on_call_timeout", m.get("interrupt_on_call_timeout"), YamlValue::bool);
    put(values, "cancel_on_call_timeout", m.get("cancel_on_call_timeout"), YamlValue::bool);
  }

  /** Applies {@link #readTimedWorkKeys}' keys to the builder. */
  private static void applyTimedWorkKeys(Map<String, Object> values, CircuitBreakerConfig.Builder b) {
    Object automatic = values.get("automatic_transition_from_open_to_half_open");
    if (automatic != null) {
      b.automaticTransitionFromOpenToHalfOpen((Boolean) automatic);
    }
    if (values.get("call_timeout_ms") instanceof Duration timeout) {
      b.callTimeout(timeout);
    }
    if (values.get("interrupt_on_call_timeout") instanceof Boolean interrupt) {
      b.interruptOnCallTimeout(interrupt);
    }
    if (values.get("cancel_on_call_timeout") instanceof Boolean cancel) {
      b.cancelOnCallTimeout(cancel);
    }
  }

  /** A share of the open time, in [0, 1). */
  private static Double jitter(YamlValue v) {
    Double d = v.number();
    if (d != null && !(d >= 0 && d < 1)) {
      v.problem("must be in [0, 1), was " + d);
      return null;
    }
    return d;
  }

  private static void put(Map<String, Object> values, String key, YamlValue v, Function<YamlValue, Object> read) {
    if (v == null) {
      return;
    }
    Object value = read.apply(v);
    if (value == null) {
      values.put(key, Invalid.INSTANCE);
    } else {
      values.put(key, value);
    }
  }

  /** Marks a key whose value was wrong (already reported), so no build is attempted with it. */
  private enum Invalid { INSTANCE }

  private List<Class<? extends Throwable>> exceptions(YamlValue v) {
    List<YamlValue> items = v.list();
    if (items == null) {
      return null;
    }
    List<Class<? extends Throwable>> types = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items) {
      String name = item.nonBlank();
      if (name == null) {
        ok = false;
        continue;
      }
      try {
        Class<?> type = Class.forName(name.trim(), false, classLoader);
        if (!Throwable.class.isAssignableFrom(type)) {
          item.problem("'" + name + "' is not an exception type (a subtype of java.lang.Throwable)");
          ok = false;
          continue;
        }
        @SuppressWarnings("unchecked")
        Class<? extends Throwable> t = (Class<? extends Throwable>) type;
        types.add(t);
      } catch (ClassNotFoundException | LinkageError e) {
        item.problem("no exception class '" + name + "' on the class path (write the fully qualified name,"
            + " e.g. java.io.IOException)");
        ok = false;
      }
    }
    return ok ? types : null;
  }

  @SuppressWarnings("unchecked")
  private CircuitBreakerConfig buildBreaker(YamlValue at, Map<String, Object> values) {
    if (values.containsValue(Invalid.INSTANCE)) {
      return null;
    }
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "failure_threshold" -> b.failureThreshold((Integer) v);
        case "success_threshold" -> b.successThreshold((Integer) v);
        case "timeout_seconds" -> b.openTimeout((Duration) v);
        case "open_timeout_multiplier" -> b.openTimeoutMultiplier((Double) v);
        case "max_open_timeout_seconds" -> b.maxOpenTimeout((Duration) v);
        case "half_open_max_calls" -> b.halfOpenMaxCalls((Integer) v);
        case "half_open_probe_timeout_seconds" -> b.halfOpenProbeTimeout((Duration) v);
        case "failure_rate_threshold" -> b.failureRateThreshold((Double) v);
        case "slow_call_duration_threshold" -> b.slowCallDurationThreshold((Duration) v);
        case "slow_call_rate_threshold" -> b.slowCallRateThreshold((Double) v);
        case "minimum_number_of_calls" -> b.minimumNumberOfCalls((Integer) v);
        case "record_exceptions" -> b.recordExceptions(((List<Class<? extends Throwable>>) v).toArray(new Class[0]));
        case "ignore_exceptions" -> b.ignoreExceptions(((List<Class<? extends Throwable>>) v).toArray(new Class[0]));
        case "writable_stack_trace" -> b.writableStackTrace((Boolean) v);
        case "half_open_probe_window" -> b.halfOpenProbeWindow((Integer) v);
        case "open_timeout_jitter" -> b.openTimeoutJitter((Double) v);
        default -> { } // window and detection below: they combine keys
      }
    }
    if (Boolean.FALSE.equals(values.get("slow_call_detection"))) {
      b.disableSlowCallDetection();
    }
    applyTimedWorkKeys(values, b);
    String type = (String) values.getOrDefault("sliding_window_type", "count_based");
    int size = (Integer) values.getOrDefault("sliding_window_size", 100);
    if (type.equals("time_based")) {
      b.timeBasedWindow(size);
    } else {
      b.countBasedWindow(size);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      at.problem(e.getMessage());
      return null;
    }
  }

  // ---------------------------------------------------------------- monitoring, alerts, fallback

  private MonitoringConfig monitoring(YamlValue section) {
    MonitoringConfig d = MonitoringConfig.ofDefaults();
    YamlMap m = section.map();
    if (m == null) {
      return d;
    }
    Duration metrics = or(dur(m, "metrics_interval_seconds", ChronoUnit.SECONDS), d.metricsInterval());
    Duration health = or(dur(m, "health_check_interval_seconds", ChronoUnit.SECONDS), d.healthCheckInterval());
    Duration retention = or(dur(m, "metrics_retention_seconds", ChronoUnit.SECONDS), d.metricsRetention());
    if (metrics.compareTo(Duration.ofDays(1)) > 0) {
      m.get("metrics_interval_seconds").problem("must be at most 1 day, was " + metrics.toSeconds() + " s");
    }
    m.finish();
    return new MonitoringConfig(metrics, health, retention);
  }

  private static Duration dur(YamlMap m, String key, ChronoUnit unit) {
    YamlValue v = m.get(key);
    return v == null ? null : v.duration(unit);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private List<AlertChannelConfig> alerts(YamlValue section) {
    YamlMap m = section.map();
    if (m == null) {
      return List.of();
    }
    List<AlertChannelConfig> channels = new ArrayList<>();
    YamlValue list = m.get("channels");
    if (list != null) {
      List<YamlValue> items = list.list();
      if (items != null) {
        for (YamlValue item : items) {
          AlertChannelConfig c = channel(item);
          if (c != null) {
            channels.add(c);
          }
        }
      }
    }
    m.finish();
    return channels;
  }

  private AlertChannelConfig channel(YamlValue item) {
    YamlMap m = item.map();
    if (m == null) {
      return null;
    }
    YamlValue typeValue = m.get("type");
    String type = null;
    if (typeValue == null) {
      item.problem("type is required: one of " + String.join(", ", CHANNEL_TYPES));
    } else {
      type = typeValue.oneOf(CHANNEL_TYPES);
    }
    boolean enabled = true;
    YamlValue en = m.get("enabled");
    if (en != null) {
      Boolean b = en.bool();
      enabled = b == null || b;
    }
    Set<String> filter = new LinkedHashSet<>(AlertChannelConfig.SEVERITIES);
    YamlValue sf = m.get("severity_filter");
    if (sf != null) {
      Set<String> s = severities(sf);
      filter = s == null ? filter : s;
    }
    if (type == null) {
      return null; // the other keys depend on the type: not reported as unknown
    }
    int before = problems.size();
    AlertChannelConfig result = switch (type) {
      case "slack" -> new AlertChannelConfig.Slack(enabled, filter,
          url(m, "webhook_url", secret(m, "webhook_url", enabled, item), enabled));
      case "pagerduty" -> new AlertChannelConfig.PagerDuty(enabled, filter,
          secret(m, "integration_key", enabled, item),
          plainUrl(m, "base_url", "https://events.pagerduty.com", enabled));
      case "webhook" -> new AlertChannelConfig.Webhook(enabled, filter,
          url(m, "url", secret(m, "url", enabled, item), enabled));
      default -> email(m, enabled, filter, item);
    };
    m.finish();
    return problems.size() == before ? result : null;
  }

  private AlertChannelConfig email(YamlMap m, boolean enabled, Set<String> filter, YamlValue item) {
    List<String> recipients = new ArrayList<>();
    YamlValue r = m.get("recipients");
    if (r == null) {
      item.problem("recipients is required for an email channel: a list of addresses");
    } else {
      List<YamlValue> items = r.list();
      if (items != null) {
        if (items.isEmpty()) {
          r.problem("must list at least one address");
        }
        for (YamlValue a : items) {
          String s = enabled ? a.nonBlank() : a.lenient().string();
          if (s != null && !s.matches("[^@\\s]+@[^@\\s]+")) {
            a.problem("must be an e-mail address (name@domain), was '" + s + "'");
          } else if (s != null) {
            recipients.add(s);
          }
        }
      }
    }
    String from = or(optString(m, "from"), "risk-modules@localhost");
    String host = or(optString(m, "smtp_host"), "localhost");
    YamlValue portValue = m.get("smtp_port");
    Integer port = portValue == null ? Integer.valueOf(587) : portValue.integer(1, 65535);
    String user = optString(m, "username");
    Secret password = m.has("password") ? secret(m, "password", enabled, item) : null;
    YamlValue tls = m.get("starttls");
    Boolean startTls = tls == null ? Boolean.TRUE : tls.bool();
    YamlValue sslValue = m.get("ssl");
    Boolean ssl = sslValue == null ? Boolean.FALSE : sslValue.bool();
    if (enabled && (user != null) != m.has("password")) {
      item.problem("username and password go together: give both or neither");
    }
    if (enabled && Boolean.FALSE.equals(startTls) && Boolean.FALSE.equals(ssl) && !isLoopbackHost(host)) {
      tls.problem("may be false only for a loopback smtp_host or with ssl: true (mail would cross the network"
          + " in clear text)");
    }
    return new AlertChannelConfig.Email(enabled, filter, recipients, from, host, port == null ? 587 : port, user,
        password, !Boolean.FALSE.equals(startTls), Boolean.TRUE.equals(ssl));
  }

  /** A secret URL: https, or http to a loopback address; problems never show it. */
  private static Secret url(YamlMap m, String key, Secret value, boolean enabled) {
    if (value == null || !enabled) {
      return value;
    }
    String problem = urlProblem(value.reveal());
    if (problem != null) {
      m.get(key).problem(problem + " (value not shown: it is a secret)");
      return null;
    }
    return value;
  }

  private static String plainUrl(YamlMap m, String key, String fallback, boolean enabled) {
    YamlValue v = m.get(key);
    if (v == null) {
      return fallback;
    }
    String s = v.nonBlank();
    String problem = s == null || !enabled ? null : urlProblem(s);
    if (problem != null) {
      v.problem(problem + ", was '" + s + "'");
      return null;
    }
    return s;
  }

  /** Why {@code url} is not an https URL (or http to a loopback address), or null if it is. */
  static String urlProblem(String url) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url.trim());
    } catch (java.net.URISyntaxException e) {
      return "must be a valid URL";
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return "must be an absolute https URL with a host";
    }
    String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (scheme.equals("http") && !isLoopbackHost(uri.getHost())) {
      return "must use https; http is allowed only for loopback addresses";
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must use https (or http for a loopback address)";
    }
    return null;
  }

  /** A literal loopback address or localhost; never resolves a name. */
  static boolean isLoopbackHost(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (h.matches("127(\\.\\d{1,3}){3}")) {
      return true;
    }
    return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  private static String optString(YamlMap m, String key) {
    YamlValue v = m.get(key);
    return v == null ? null : v.nonBlank();
  }

  private static Secret secret(YamlMap m, String key, boolean enabled, YamlValue item) {
    YamlValue v = m.get(key);
    if (v == null) {
      if (enabled) {
        item.problem(key + " is required for this channel");
      }
      return null;
    }
    return enabled ? v.secretString() : v.lenient().secretString();
  }

  private static Set<String> severities(YamlValue v) {
    List<YamlValue> items = v.list();
    if (items == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (YamlValue i : items) {
      String s = i.oneOf(AlertChannelConfig.SEVERITIES);
      if (s != null) {
        out.add(s);
      }
    }
    if (items.isEmpty()) {
      v.problem("must list at least one of " + String.join(", ", AlertChannelConfig.SEVERITIES));
    }
    return out;
  }

  private FallbackConfig fallback(YamlValue section) {
    FallbackConfig d = FallbackConfig.ofDefaults();
    YamlMap m = section.map();
    if (m == null) {
      return d;
    }
    FallbackResponse.Template template = d.defaultResponse();
    YamlValue dr = m.get("default_response");
    if (dr != null) {
      YamlMap rm = dr.map();
      if (rm != null) {
        YamlValue sc = rm.get("status_code");
        Integer status = sc == null ? Integer.valueOf(template.statusCode()) : sc.integer(100, 599);
        String error = template.error();
        Long retry = template.retryAfterSeconds();
        YamlValue body = rm.get("body");
        if (body != null) {
          YamlMap bm = body.map();
          if (bm != null) {
            YamlValue e = bm.get("error");
            error = e == null ? error : e.string();
            YamlValue ra = bm.get("retry_after");
            retry = ra == null ? retry : ra.longValue(0, 365L * 86400);
            bm.finish();
          }
        }
        rm.finish();
        if (status != null && error != null && retry != null) {
          template = new FallbackResponse.Template(status, error, retry);
        }
      }
    }
    CacheFallbackConfig cache = d.cache();
    YamlValue cf = m.get("cache_fallback");
    if (cf != null) {
      YamlMap cm = cf.map();
      if (cm != null) {
        CacheFallbackConfig.Builder b = CacheFallbackConfig.builder();
        YamlValue en = cm.get("enabled");
        Boolean enabled = en == null ? Boolean.TRUE : en.bool();
        Duration maxAge = dur(cm, "max_age_seconds", ChronoUnit.SECONDS);
        YamlValue me = cm.get("max_entries");
        Integer maxEntries = me == null ? null : me.integer(1, 10_000_000);
        cm.finish();
        if (enabled != null) {
          b.enabled(enabled);
        }
        if (maxAge != null) {
          b.maxAge(maxAge);
        }
        if (maxEntries != null) {
          b.maxEntries(maxEntries);
        }
        cache = b.build();
      }
    }
    m.finish();
    return new FallbackConfig(template, cache);
  }

  // ---------------------------------------------------------------- deployment file

  private Optional<DeploymentConfig> deployment(MonitoringConfig monitoring) {
    YamlValue dep = sections.get("deployment");
    YamlValue nodesValue = sections.get("nodes");
    YamlValue hc = sections.get("health_check");
    YamlValue rb = sections.get("rollback");
    if (dep == null && nodesValue == null && hc == null && rb == null) {
      return Optional.empty();
    }
    String strategy = "rolling";
    String maxSurge = "25%";
    String maxUnavailable = "25%";
    if (dep != null) {
      YamlMap m = dep.map();
      if (m != null) {
        YamlValue s = m.get("strategy");
        strategy = s == null ? strategy : s.oneOf(List.of("rolling", "blue_green", "canary"));
        maxSurge = or(countOrPercent(m.get("max_surge")), maxSurge);
        maxUnavailable = or(countOrPercent(m.get("max_unavailable")), maxUnavailable);
        m.finish();
      }
    }
    List<Node> nodes = new ArrayList<>();
    if (nodesValue == null) {
      (dep != null ? dep : hc != null ? hc : rb).problem("the deployment file needs 'nodes': a list of at least one node");
    } else {
      nodes = nodes(nodesValue);
    }
    HealthCheckConfig health = healthCheck(hc, monitoring);
    RollbackConfig rollback = new RollbackConfig(true, 3, Duration.ofSeconds(300), List.of());
    if (rb != null) {
      rollback = rollback(rb, nodesValue == null ? null : nodes);
    }
    return Optional.of(new DeploymentConfig(strategy, maxSurge, maxUnavailable, nodes, health, rollback));
  }

  private static String countOrPercent(YamlValue v) {
    if (v == null) {
      return null;
    }
    String s = v.string();
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (t.matches("\\d{1,7}") || (t.matches("\\d{1,3}%") && Integer.parseInt(t.substring(0, t.length() - 1)) <= 100)) {
      return t;
    }
    v.problem("must be a count (25) or a percentage from 0% to 100% (25%), was '" + s + "'");
    return null;
  }

  private List<Node> nodes(YamlValue v) {
    List<YamlValue> items = v.list();
    List<Node> nodes = new ArrayList<>();
    if (items == null) {
      return nodes;
    }
    if (items.isEmpty()) {
      v.problem("must list at least one node");
    }
    Map<String, YamlValue> names = new LinkedHashMap<>();
    Map<String, YamlValue> addresses = new LinkedHashMap<>();
    for (YamlValue item : items) {
      YamlMap m = item.map();
      if (m == null) {
        continue;
      }
      YamlValue nameV = m.get("name");
      YamlValue roleV = m.get("role");
      YamlValue hostV = m.get("host");
      YamlValue portV = m.get("port");
      YamlValue weightV = m.get("weight");
      String name = nameV == null ? missing(item, "name") : nameV.nonBlank();
      String role = roleV == null ? "secondary" : roleV.oneOf(List.of("primary", "secondary", "standby"));
      String host = hostV == null ? missing(item, "host") : hostV.nonBlank();
      Integer port = portV == null ? (Integer) missing(item, "port") : portV.integer(1, 65535);
      Integer weight = weightV == null ? Integer.valueOf(100) : weightV.integer(0, 1_000_000);
      m.finish();
      if (name != null) {
        YamlValue first = names.putIfAbsent(name, nameV);
        if (first != null) {
          nameV.problem("duplicate node name '" + name + "' (first at line " + (first.mark.getLine() + 1) + ")");
          continue;
        }
      }
      if (host != null && port != null) {
        String address = host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
        YamlValue first = addresses.putIfAbsent(address, hostV);
        if (first != null) {
          hostV.problem("duplicate address " + address + " (first at line " + (first.mark.getLine() + 1) + ")");
          continue;
        }
      }
      if (name == null || role == null || host == null || port == null || weight == null) {
        continue;
      }
      try {
        nodes.add(new Node(name, NodeRole.of(role), host, port, weight));
      } catch (IllegalArgumentException e) {
        item.problem(e.getMessage());
      }
    }
    return nodes;
  }

  private static <T> T missing(YamlValue item, String key) {
    item.problem(key + " is required");
    return null;
  }

  private HealthCheckConfig healthCheck(YamlValue hc, MonitoringConfig monitoring) {
    HealthCheckConfig.Builder b = HealthCheckConfig.builder();
    b.interval(monitoring.healthCheckInterval());
    if (hc == null) {
      return b.build();
    }
    YamlMap m = hc.map();
    if (m == null) {
      return b.build();
    }
    YamlValue ep = m.get("endpoint");
    String endpoint = ep == null ? null : ep.nonBlank();
    Duration interval = dur(m, "interval_seconds", ChronoUnit.SECONDS);
    Duration timeout = dur(m, "timeout_seconds", ChronoUnit.SECONDS);
    YamlValue h = m.get("healthy_threshold");
    Integer healthy = h == null ? null : h.integer(1, 1000);
    YamlValue u = m.get("unhealthy_threshold");
    Integer unhealthy = u == null ? null : u.integer(1, 1000);
    m.finish();
    if (endpoint != null) {
      b.endpoint(endpoint);
    }
    if (interval != null) {
      b.interval(interval);
    }
    if (timeout != null) {
      b.timeout(timeout);
    }
    if (healthy != null) {
      b.healthyThreshold(healthy);
    }
    if (unhealthy != null) {
      b.unhealthyThreshold(unhealthy);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      (ep != null && e.getMessage().contains("endpoint") ? ep : hc).problem(e.getMessage());
      return HealthCheckConfig.ofDefaults();
    }
  }

  private RollbackConfig rollback(YamlValue rb, List<Node> nodes) {
    YamlMap m = rb.map();
    if (m == null) {
      return null;
    }
    YamlValue a = m.get("auto_rollback");
    Boolean auto = a == null ? Boolean.TRUE : a.bool();
    YamlValue f = m.get("failure_threshold");
    Integer failures = f == null ? Integer.valueOf(3) : f.integer(1, 1_000_000);
    Duration period = or(dur(m, "observation_period_seconds", ChronoUnit.SECONDS), Duration.ofSeconds(300));
    List<String> watched = new ArrayList<>();
    YamlValue n = m.get("nodes");
    if (n != null) {
      List<YamlValue> items = n.list();
      if (items != null) {
        List<String> names = nodes == null ? List.of() : nodes.stream().map(Node::name).toList();
        for (YamlValue i : items) {
          String s = i.nonBlank();
          if (s == null) {
            continue;
          }
          if (nodes != null && !names.contains(s)) {
            String near = Suggest.nearest(s, names);
            i.problem("refers to no node: '" + s + "' is not in nodes" + (near != null ? " (did you mean '" + near
                + "'?)" : ""));
          } else {
            watched.add(s);
          }
        }
      }
    }
    m.finish();
    if (nodes == null) {
      rb.problem("refers to nothing: a rollback rule needs the nodes it watches ('nodes' section)");
    } else if (failures != null && auto != null && auto && nodes.isEmpty()) {
      rb.problem("refers to nothing: no node is listed");
    }
    return new RollbackConfig(auto == null || auto, failures == null ? 3 : failures, period, watched);
  }

  // ---------------------------------------------------------------- alert_config.yaml

  private AlertingConfig alerting(YamlValue section, Set<String> knownServices) {
    AlertingConfig d = AlertingConfig.ofDefaults();
    YamlMap m = section.map();
    if (m == null) {
      return d;
    }
    YamlValue gw = m.get("group_wait_seconds");
    Duration wait = d.groupWait();
    if (gw != null && gw.isZero()) {
      wait = Duration.ZERO;
    } else if (gw != null) {
      wait = or(gw.duration(ChronoUnit.SECONDS), wait);
    }
    Duration repeat = or(dur(m, "repeat_interval_seconds", ChronoUnit.SECONDS), d.repeatInterval());
    if (repeat.compareTo(Duration.ofSeconds(1)) < 0) {
      m.get("repeat_interval_seconds").problem("must be at least 1 s, was " + repeat.toMillis() + " ms");
    }
    Duration resolve = or(dur(m, "resolve_timeout_seconds", ChronoUnit.SECONDS), d.resolveTimeout());
    YamlValue sr = m.get("send_resolved");
    Boolean sendResolved = sr == null ? Boolean.TRUE : sr.bool();
    AlertingConfig.SeverityByService open = severityByService(m.get("breaker_open"), d.breakerOpen(), knownServices);
    AlertingConfig.SeverityByService forced = severityByService(m.get("breaker_forced_open"),
        d.breakerForcedOpen(), knownServices);
    String threshold = d.riskThreshold();
    Map<String, String> levelSeverities = new LinkedHashMap<>(d.riskSeverities());
    Map<String, Map<String, String>> byService = new LinkedHashMap<>();
    YamlValue rl = m.get("risk_level");
    if (rl != null) {
      YamlMap rm = rl.map();
      if (rm != null) {
        YamlValue t = rm.get("threshold");
        threshold = t == null ? threshold : or(t.oneOf(RISK_LEVELS), threshold);
        YamlValue sv = rm.get("severities");
        if (sv != null) {
          levelSeverities.putAll(levelMap(sv));
        }
        YamlValue svc = rm.get("services");
        if (svc != null) {
          YamlMap sm = svc.map();
          if (sm != null) {
            for (Map.Entry<String, YamlValue> e : sm.entries().entrySet()) {
              if (knownService(e.getKey(), e.getValue(), knownServices)) {
                byService.put(e.getKey(), levelMap(e.getValue()));
              }
            }
          }
        }
        rm.finish();
      }
    }
    List<InhibitRuleConfig> inhibit = d.inhibit();
    YamlValue iv = m.get("inhibit");
    if (iv != null) {
      inhibit = new ArrayList<>();
      List<YamlValue> items = iv.list();
      for (YamlValue item : items == null ? List.<YamlValue>of() : items) {
        YamlMap im = item.map();
        if (im == null) {
          continue;
        }
        YamlValue sv = im.get("source");
        String source = sv == null ? missing(item, "source") : sv.oneOf(AlertingConfig.KINDS);
        YamlValue tv = im.get("target");
        String target = tv == null ? missing(item, "target") : tv.oneOf(AlertingConfig.KINDS);
        im.finish();
        if (source != null && source.equals(target)) {
          tv.problem("must not be the source '" + source + "' (an alert would inhibit itself)");
        } else if (source != null && target != null) {
          inhibit.add(new InhibitRuleConfig(source, target));
        }
      }
    }
    m.finish();
    return new AlertingConfig(wait, repeat, resolve, sendResolved == null || sendResolved, open, forced, threshold,
        levelSeverities, byService, inhibit);
  }

  private AlertingConfig.SeverityByService severityByService(YamlValue v, AlertingConfig.SeverityByService d,
      Set<String> knownServices) {
    if (v == null) {
      return d;
    }
    YamlMap m = v.map();
    if (m == null) {
      return d;
    }
    YamlValue sv = m.get("severity");
    String severity = sv == null ? d.severity() : or(sv.oneOf(AlertChannelConfig.SEVERITIES), d.severity());
    Map<String, String> services = new LinkedHashMap<>();
    YamlValue svc = m.get("services");
    if (svc != null) {
      YamlMap sm = svc.map();
      if (sm != null) {
        for (Map.Entry<String, YamlValue> e : sm.entries().entrySet()) {
          if (knownService(e.getKey(), e.getValue(), knownServices)) {
            String s = e.getValue().oneOf(AlertChannelConfig.SEVERITIES);
            if (s != null) {
              services.put(e.getKey(), s);
            }
          }
        }
      }
    }
    m.finish();
    return new AlertingConfig.SeverityByService(severity, services);
  }

  /** A risk level to severity mapping: {@code {high: critical, critical: critical}}. */
  private Map<String, String> levelMap(YamlValue v) {
    Map<String, String> out = new LinkedHashMap<>();
    YamlMap m = v.map();
    if (m == null) {
      return out;
    }
    for (String level : RISK_LEVELS) {
      YamlValue s = m.get(level);
      if (s != null) {
        String severity = s.oneOf(AlertChannelConfig.SEVERITIES);
        if (severity != null) {
          out.put(level, severity);
        }
      }
    }
    m.finish();
    return out;
  }

  /** Whether {@code service} is listed in circuit_breaker.services (when a breaker file is loaded). */
  private static boolean knownService(String service, YamlValue at, Set<String> knownServices) {
    if (knownServices == null || knownServices.contains(service)) {
      return true;
    }
    String near = Suggest.nearest(service, knownServices);
    at.problem("refers to no service: '" + service + "' is not in circuit_breaker.services"
        + (near != null ? " (did you mean '" + near + "'?)" : ""));
    return false;
  }

  private RiskPoliciesConfig risk(YamlValue section, Set<String> knownServices) {
    RiskPoliciesConfig d = RiskPoliciesConfig.ofDefaults();
    YamlMap m = section.map();
    if (m == null) {
      return d;
    }
    double hysteresis = d.hysteresisPoints();
    YamlValue hv = m.get("hysteresis_points");
    if (hv != null) {
      Double h = hv.number();
      if (h != null && !(h >= 0 && h < 25)) {
        hv.problem("must be at least 0 and below 25, was " + h);
      } else if (h != null) {
        hysteresis = h;
      }
    }
    RiskPolicyConfig base = d.defaults();
    YamlValue dv = m.get("default");
    if (dv != null) {
      base = or(policy(dv, base), base);
    }
    Map<String, RiskPolicyConfig> services = new LinkedHashMap<>();
    YamlValue sv = m.get("services");
    if (sv != null) {
      YamlMap sm = sv.map();
      if (sm != null) {
        for (Map.Entry<String, YamlValue> e : sm.entries().entrySet()) {
          if (!knownService(e.getKey(), e.getValue(), knownServices)) {
            continue;
          }
          RiskPolicyConfig p = e.getValue().isNull() ? base : policy(e.getValue(), base);
          if (p != null) {
            services.put(e.getKey(), p);
          }
        }
      }
    }
    m.finish();
    return new RiskPoliciesConfig(hysteresis, base, services);
  }

  private RiskPolicyConfig policy(YamlValue v, RiskPolicyConfig base) {
    YamlMap m = v.map();
    if (m == null) {
      return null;
    }
    int before = problems.size();
    double[] fr = pair(m, "failure_rate", "threshold", base.failureRateThreshold(), base.failureRateWeight());
    double[] sc = pair(m, "slow_call_rate", "threshold", base.slowCallRateThreshold(), base.slowCallRateWeight());
    double[] rr = pair(m, "rejection_rate", "threshold", base.rejectionRateThreshold(), base.rejectionRateWeight());
    Duration objective = base.p99Objective();
    double latencyWeight = base.latencyWeight();
    YamlValue lv = m.get("p99_latency");
    if (lv != null) {
      YamlMap lm = lv.map();
      if (lm != null) {
        objective = or(dur(lm, "objective_ms", ChronoUnit.MILLIS), objective);
        YamlValue w = lm.get("weight");
        Double wd = w == null ? null : w.numberAtLeast(0);
        latencyWeight = wd == null ? latencyWeight : wd;
        lm.finish();
      }
    }
    double stateWeight = base.stateWeight();
    YamlValue swv = m.get("state_weight");
    if (swv != null) {
      Double sw = swv.numberAtLeast(0);
      stateWeight = sw == null ? stateWeight : sw;
    }
    double trendThreshold = base.trendThreshold();
    int trendSamples = base.trendSamples();
    double trendWeight = base.trendWeight();
    YamlValue tv = m.get("trend");
    if (tv != null) {
      YamlMap tm = tv.map();
      if (tm != null) {
        YamlValue t = tm.get("threshold");
        Double td = t == null ? null : t.positiveNumber();
        trendThreshold = td == null ? trendThreshold : td;
        YamlValue s = tm.get("samples");
        Integer si = s == null ? null : s.integer(2, 10_000);
        trendSamples = si == null ? trendSamples : si;
        YamlValue w = tm.get("weight");
        Double wd = w == null ? null : w.numberAtLeast(0);
        trendWeight = wd == null ? trendWeight : wd;
        tm.finish();
      }
    }
    m.finish();
    if (problems.size() != before) {
      return null;
    }
    RiskPolicyConfig p = new RiskPolicyConfig(fr[0], fr[1], sc[0], sc[1], rr[0], rr[1], objective, latencyWeight,
        stateWeight, trendThreshold, trendSamples, trendWeight);
    try {
      p.toPolicy();
    } catch (IllegalArgumentException e) {
      v.problem(e.getMessage());
      return null;
    }
    return p;
  }

  private static double[] pair(YamlMap m, String key, String thresholdKey, double threshold, double weight) {
    double[] out = {threshold, weight};
    YamlValue v = m.get(key);
    if (v == null) {
      return out;
    }
    YamlMap pm = v.map();
    if (pm == null) {
      return out;
    }
    YamlValue t = pm.get(thresholdKey);
    Double td = t == null ? null : t.rate();
    YamlValue w = pm.get("weight");
    Double wd = w == null ? null : w.numberAtLeast(0);
    pm.finish();
    out[0] = td == null ? threshold : td;
    out[1] = wd == null ? weight : wd;
    return out;
  }
}
