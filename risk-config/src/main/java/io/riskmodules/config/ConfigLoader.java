package io.riskmodules.config;

import io.riskmodules.config.internal.ConfigBinder;
import io.riskmodules.config.internal.Problems;
import io.riskmodules.config.internal.YamlSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates the config files: RFC-136's {@code circuit_breaker_config.yaml} and {@code
 * deployment_config.yaml} exactly as the RFC writes them, and {@code alert_config.yaml}. A file is
 * recognised by its top-level keys, whatever its name; any may be loaded alone.
 *
 * <pre>{@code
 * RiskConfig config = ConfigLoader.builder()
 *     .environment(Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.com/...", "PAGERDUTY_KEY", "..."))
 *     .build()
 *     .load(Path.of("config/circuit_breaker_config.yaml"));
 * }</pre>
 *
 * <p>Every problem of every file is reported at once in a {@link ConfigException}, each with its
 * file, line, column and key path. Hostile input is refused cheaply: files over {@link
 * Builder#maxFileBytes} are not read, bytes that are not UTF-8, nesting deeper than 64 and more
 * than 50 aliases to collections are refused. Immutable and thread-safe.
 */
public final class ConfigLoader {

  private final Function<String, String> environment;
  private final YamlSource.Limits limits;
  private final ClassLoader classLoader;
  private final boolean allowMissingVariables;

  private ConfigLoader(Builder b) {
    this.allowMissingVariables = b.allowMissingVariables;
    this.environment = b.environment;
    this.limits = new YamlSource.Limits(b.maxFileBytes, 64, 50);
    this.classLoader = b.classLoader;
  }

  /** Files larger than this are refused unread. */
  public long maxFileBytes() {
    return limits.maxBytes();
  }

  /** A loader over the process environment. */
  public static ConfigLoader ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads, validates and binds {@code files}.
   *
   * @throws ConfigException listing every problem of every file
   */
  public RiskConfig load(Path... files) {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    Problems problems = new Problems();
    for (Path file : files) {
      problems.declare(file.toString());
    }
    for (Path file : files) {
      String name = file.toString();
      try {
        long size = Files.size(file);
        if (size > limits.maxBytes()) {
          problems.add(name, 0, 0, "", "file is " + size + " bytes, more than the limit of " + limits.maxBytes()
              + " bytes");
          continue;
        }
        contents.put(name, Files.readAllBytes(file));
      } catch (NoSuchFileException e) {
        problems.add(name, 0, 0, "", "file not found");
      } catch (IOException e) {
        problems.add(name, 0, 0, "", "cannot read the file: " + e.getClass().getSimpleName());
      }
    }
    return bind(contents, problems);
  }

  /**
   * Validates and binds file contents given by name (tests, or files read elsewhere).
   *
   * @throws ConfigException listing every problem of every file
   */
  public RiskConfig parse(Map<String, byte[]> contents) {
    return bind(new LinkedHashMap<>(contents), new Problems());
  }

  /** One file's text under {@code name}. */
  public RiskConfig parse(String name, String yaml) {
    return parse(Map.of(name, yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private RiskConfig bind(Map<String, byte[]> contents, Problems problems) {
    contents.keySet().forEach(problems::declare);
    ConfigBinder binder = new ConfigBinder(problems, environment, classLoader, allowMissingVariables);
    for (Map.Entry<String, byte[]> e : contents.entrySet()) {
      Node root = YamlSource.parse(e.getKey(), e.getValue(), limits, problems);
      if (root != null) {
        binder.add(e.getKey(), root);
      }
    }
    RiskConfig config = binder.bind();
    problems.throwIfAny();
    return config;
  }

  /** Builds a {@link ConfigLoader}. Not thread-safe. */
  public static final class Builder {
    private Function<String, String> environment = System::getenv;
    private long maxFileBytes = 256 << 10;
    private ClassLoader classLoader = ConfigLoader.class.getClassLoader();
    private boolean allowMissingVariables;

    Builder() {}

    /**
     * Whether a missing {@code ${VAR}} is forgiven (its value left unset) instead of being a
     * problem: for checking the shape of files on a machine without the production secrets, as
     * {@code ConfigCheck --allow-missing-env} does. Default false. A config loaded so is not meant
     * to be run: channels whose secret is unset have none.
     */
    public Builder allowMissingVariables(boolean allow) {
      this.allowMissingVariables = allow;
      return this;
    }

    /** Where {@code ${VAR}} takes values (default: the process environment). */
    public Builder environment(Map<String, String> variables) {
      return environment(Map.copyOf(variables)::get);
    }

    /** Where {@code ${VAR}} takes values: a lookup returning null for unset variables. */
    public Builder environment(Function<String, String> lookup) {
      this.environment = Objects.requireNonNull(lookup, "lookup");
      return this;
    }

    /** Files larger than this are refused unread (default 256 KiB, a hundred times the RFC's files; from 1 KiB to 64 MiB). */
    public Builder maxFileBytes(long bytes) {
      if (bytes < 1024 || bytes > 64L << 20) {
        throw new IllegalArgumentException("maxFileBytes must be from 1024 to " + (64L << 20) + ", was " + bytes);
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /** Where exception classes named in {@code record_exceptions}/{@code ignore_exceptions} are found. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    public ConfigLoader build() {
      return new ConfigLoader(this);
    }
  }

  @Override
  public String toString() {
    return "ConfigLoader" + Arrays.asList(limits);
  }
}
