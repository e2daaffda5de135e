package io.riskmodules.examples.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * What an INF node is told at start: each option from its argument, else from its environment
 * variable, else its default. Arguments win so that a shell can override what a container sets.
 *
 * <pre>
 * --name NAME               INF_NODE_NAME          inf-node-1
 * --bind ADDRESS            INF_NODE_BIND          0.0.0.0
 * --port PORT               INF_NODE_PORT          8080 (0: any free port, printed at start)
 * --config DIR              INF_NODE_CONFIG_DIR    config, else examples/config
 * --alertmanager URL        INF_NODE_ALERTMANAGER_URL   (none)
 * --watch-interval MILLIS   INF_NODE_WATCH_INTERVAL_MS  5000 (0: no hot reload)
 * --health-check-peers      INF_NODE_HEALTH_CHECK_PEERS false
 *                           INF_NODE_ADMIN_TOKEN   (none: the admin endpoints answer loopback only)
 * </pre>
 *
 * <p>The admin token has no argument on purpose: arguments show in {@code ps}, the environment
 * of another user's process does not.
 *
 * @param name node name, in {@code /status}, the metrics' {@code node} tag and alerts
 * @param bind address the HTTP server listens on
 * @param port port it listens on; 0 for any free one
 * @param configDir directory of the config files
 * @param configFiles the files of {@code configDir} that are loaded
 * @param alertmanagerUrl base URL of a Prometheus Alertmanager to send alerts to, or null
 * @param watchInterval how often the files are checked for changes, or null for no reload
 * @param healthCheckPeers whether the deployment file's nodes are probed (off: the file's hosts are
 *     often not reachable from where a node runs)
 * @param adminToken bearer token that opens the admin endpoints to non-loopback clients, or null
 */
public record NodeOptions(String name, String bind, int port, Path configDir, List<Path> configFiles,
    String alertmanagerUrl, Duration watchInterval, boolean healthCheckPeers, String adminToken) {

  /** The config files a node loads from its directory, those present. */
  public static final List<String> CONFIG_FILE_NAMES =
      List.of("circuit_breaker_config.yaml", "alert_config.yaml", "deployment_config.yaml");

  public NodeOptions {
    configFiles = List.copyOf(configFiles);
  }

  @Override
  public String toString() {
    // the token is a secret: say only whether there is one
    return "NodeOptions[name=" + name + ", bind=" + bind + ", port=" + port + ", configDir=" + configDir
        + ", configFiles=" + configFiles + ", alertmanager=" + (alertmanagerUrl != null) + ", watchInterval="
        + watchInterval + ", healthCheckPeers=" + healthCheckPeers + ", adminToken="
        + (adminToken == null ? "none" : "[secret]") + "]";
  }

  /**
   * Parses {@code args} over {@code env}.
   *
   * @throws IllegalArgumentException naming the option, its value and what is allowed
   */
  public static NodeOptions parse(List<String> args, Function<String, String> env) {
    String name = env.apply("INF_NODE_NAME");
    String bind = env.apply("INF_NODE_BIND");
    String port = env.apply("INF_NODE_PORT");
    String config = env.apply("INF_NODE_CONFIG_DIR");
    String alertmanager = env.apply("INF_NODE_ALERTMANAGER_URL");
    String watch = env.apply("INF_NODE_WATCH_INTERVAL_MS");
    String peers = env.apply("INF_NODE_HEALTH_CHECK_PEERS");
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--name" -> name = value(args, ++i, a);
        case "--bind" -> bind = value(args, ++i, a);
        case "--port" -> port = value(args, ++i, a);
        case "--config" -> config = value(args, ++i, a);
        case "--alertmanager" -> alertmanager = value(args, ++i, a);
        case "--watch-interval" -> watch = value(args, ++i, a);
        case "--health-check-peers" -> peers = "true";
        default -> throw new IllegalArgumentException("unknown option " + a
            + " (allowed: --name, --bind, --port, --config, --alertmanager, --watch-interval, --health-check-peers)");
      }
    }
    name = name == null || name.isBlank() ? "inf-node-1" : name.trim();
    if (!name.matches("[A-Za-z0-9._-]{1,63}")) {
      throw new IllegalArgumentException("--name must be 1 to 63 letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    bind = bind == null || bind.isBlank() ? "0.0.0.0" : bind.trim();
    int portNumber = integer("--port", port == null || port.isBlank() ? "8080" : port.trim(), 0, 65535);
    Path dir = config != null && !config.isBlank() ? Path.of(config.trim())
        : Files.isDirectory(Path.of("config")) ? Path.of("config") : Path.of("examples", "config");
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--config must be a directory holding " + CONFIG_FILE_NAMES.get(0)
          + ", was " + dir.toAbsolutePath());
    }
    List<Path> files = new ArrayList<>();
    for (String f : CONFIG_FILE_NAMES) {
      if (Files.isRegularFile(dir.resolve(f))) {
        files.add(dir.resolve(f));
      }
    }
    if (files.isEmpty() || !files.get(0).getFileName().toString().equals(CONFIG_FILE_NAMES.get(0))) {
      throw new IllegalArgumentException("--config directory " + dir.toAbsolutePath() + " has no "
          + CONFIG_FILE_NAMES.get(0));
    }
    if (alertmanager != null && alertmanager.isBlank()) {
      alertmanager = null;
    }
    if (alertmanager != null && !alertmanager.matches("https?://[^\\s]+")) {
      // not echoed: a URL can carry credentials
      throw new IllegalArgumentException("--alertmanager must be an http:// or https:// URL");
    }
    int watchMillis = integer("--watch-interval", watch == null || watch.isBlank() ? "5000" : watch.trim(), 0,
        86_400_000);
    if (watchMillis > 0 && watchMillis < 10) {
      throw new IllegalArgumentException("--watch-interval must be 0 (off) or from 10 to 86400000 ms, was " + watchMillis);
    }
    boolean checkPeers = peers != null && peers.trim().toLowerCase(Locale.ROOT).equals("true");
    String token = env.apply("INF_NODE_ADMIN_TOKEN");
    if (token != null && token.isBlank()) {
      token = null;
    }
    return new NodeOptions(name, bind, portNumber, dir, files, alertmanager,
        watchMillis == 0 ? null : Duration.ofMillis(watchMillis), checkPeers, token);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return Objects.requireNonNull(args.get(i));
  }

  private static int integer(String option, String text, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max + ", was '"
          + text + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", was " + v);
    }
    return v;
  }
}
