package io.riskmodules.examples.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The YAML files a run verifies: the RFC's files bundled in the jar (so the run works from any
 * directory), or every {@code *.yaml} / {@code *.yml} file of a user's directory. Closing it
 * deletes the copy of the bundled files.
 */
public final class ConfigSource implements AutoCloseable {

  /** The bundled files, as {@code examples/config/} holds them and the jar carries them. */
  public static final List<String> BUNDLED =
      List.of("circuit_breaker_config.yaml", "deployment_config.yaml", "alert_config.yaml");
  private static final String RESOURCE_DIR = "/io/riskmodules/examples/config/";

  private final String description;
  private final List<Path> files;
  private final Path copies;

  private ConfigSource(String description, List<Path> files, Path copies) {
    this.description = description;
    this.files = List.copyOf(files);
    this.copies = copies;
  }

  /** The RFC's files bundled with the examples, copied to a temporary directory. */
  public static ConfigSource bundled() {
    try {
      Path dir = Files.createTempDirectory("risk-modules-config-");
      List<Path> files = new ArrayList<>();
      for (String name : BUNDLED) {
        try (InputStream in = ConfigSource.class.getResourceAsStream(RESOURCE_DIR + name)) {
          if (in == null) {
            throw new IllegalStateException("the bundled config file " + name + " is missing from the class path");
          }
          Path target = dir.resolve(name);
          Files.copy(in, target);
          files.add(target);
        }
      }
      return new ConfigSource("the bundled RFC-136 config (examples/config)", files, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the bundled config to a temporary directory", e);
    }
  }

  /**
   * Every {@code *.yaml} and {@code *.yml} file of {@code dir}, in name order.
   *
   * @throws IllegalArgumentException naming the directory if it is missing or holds no such file
   */
  public static ConfigSource directory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--config " + dir + ": not a directory");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> {
        String n = f.getFileName().toString();
        return (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(f);
      }).sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("--config " + dir + ": cannot list the directory (" + e.getClass().getSimpleName() + ")");
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--config " + dir + ": no .yaml or .yml file in the directory");
    }
    return new ConfigSource(dir.toString(), files, null);
  }

  /** For people: where the files came from. */
  public String description() {
    return description;
  }

  /** The files, in the order they are loaded. */
  public List<Path> files() {
    return files;
  }

  /** Whether these are the bundled RFC files. */
  public boolean isBundled() {
    return copies != null;
  }

  @Override
  public void close() {
    if (copies != null) {
      deleteTree(copies);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless; the run's result does not depend on it
    }
  }
}
