package io.riskmodules.examples.verify;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Which of the files' alert channels ({@code alerts.channels}) the run sends to. By default a
 * channel is used when every {@code ${VARIABLE}} it names is set (so a developer's run pages no
 * one, and a run with {@code SLACK_WEBHOOK_URL} set posts to that Slack); the others are switched
 * off in a copy of the file the runtime loads. The console always shows the alerts.
 */
final class Channels {

  /** {@code --channels}: {@code auto} (default), {@code all} or {@code none}. */
  enum Mode { AUTO, ALL, NONE }

  /** What became of one channel, for the run's header and the JSON. */
  record Use(String type, boolean used, String reason) {}

  /** The files the runtime loads, and what became of each channel. */
  record Selection(List<Path> files, List<Use> channels) {}

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

  private Channels() {}

  /**
   * Decides for every channel of {@code files}; files whose channels change are written to {@code
   * work} (already validated, so they are safe to read with SnakeYAML's safe constructor).
   */
  static Selection select(List<Path> files, Function<String, String> env, Mode mode, Path work) {
    List<Path> out = new ArrayList<>();
    List<Use> uses = new ArrayList<>();
    for (Path file : files) {
      Object doc;
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      boolean changed = false;
      if (doc instanceof Map<?, ?> root && root.get("alerts") instanceof Map<?, ?> alerts
          && alerts.get("channels") instanceof List<?> channels) {
        for (Object item : channels) {
          if (!(item instanceof Map<?, ?> channel)) {
            continue;
          }
          @SuppressWarnings("unchecked")
          Map<Object, Object> c = (Map<Object, Object>) channel;
          Use use = decide(c, env, mode);
          uses.add(use);
          if (!use.used() && !Boolean.FALSE.equals(c.get("enabled"))) {
            c.put("enabled", false);
            changed = true;
          }
        }
      }
      if (changed) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path copy = work.resolve(file.getFileName());
        try {
          Files.writeString(copy, new Yaml(new Representer(options), options).dump(doc));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        out.add(copy);
      } else {
        out.add(file);
      }
    }
    return new Selection(out, uses);
  }

  private static Use decide(Map<Object, Object> channel, Function<String, String> env, Mode mode) {
    String type = String.valueOf(channel.get("type"));
    if (Boolean.FALSE.equals(channel.get("enabled"))) {
      return new Use(type, false, "enabled: false in the file");
    }
    if (mode == Mode.NONE) {
      return new Use(type, false, "--channels none");
    }
    Set<String> named = new LinkedHashSet<>();
    Set<String> missing = new LinkedHashSet<>();
    variables(channel, named, missing, env);
    if (mode == Mode.ALL) {
      return new Use(type, true, "--channels all");
    }
    if (named.isEmpty()) {
      return new Use(type, false, "names no ${VARIABLE} to switch it on; --channels all sends to it");
    }
    if (!missing.isEmpty()) {
      return new Use(type, false, String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not set");
    }
    return new Use(type, true, String.join(", ", named) + (named.size() == 1 ? " is" : " are") + " set");
  }

  /** The variables a channel's values name, and those of them not set (a {@code :-default} counts as set). */
  private static void variables(Object value, Set<String> named, Set<String> missing, Function<String, String> env) {
    if (value instanceof Map<?, ?> m) {
      m.values().forEach(v -> variables(v, named, missing, env));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> variables(v, named, missing, env));
    } else if (value instanceof String s) {
      Matcher m = VARIABLE.matcher(s);
      while (m.find()) {
        named.add(m.group(1));
        if (m.group(2) == null && env.apply(m.group(1)) == null) {
          missing.add(m.group(1));
        }
      }
    }
  }
}
