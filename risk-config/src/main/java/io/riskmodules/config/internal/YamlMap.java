package io.riskmodules.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A mapping read key by key. Keys asked for are the valid ones: {@link #finish()} reports every
 * other key as unknown, with the nearest valid key suggested. Duplicate keys are reported with
 * the place of the first.
 */
public final class YamlMap {

  private final Ctx ctx;
  private final String path;
  private final Map<String, YamlValue> entries = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();

  YamlMap(Ctx ctx, String path, MappingNode node) {
    this.ctx = ctx;
    this.path = path;
    for (NodeTuple tuple : node.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        ctx.problems.add(ctx.file, tuple.getKeyNode().getStartMark(), path, "keys must be plain words, was a "
            + (tuple.getKeyNode() instanceof MappingNode ? "mapping" : "list"));
        continue;
      }
      String name = key.getValue();
      YamlValue value = new YamlValue(ctx, child(name), tuple.getValueNode(), key.getStartMark());
      YamlValue first = entries.putIfAbsent(name, value);
      if (first != null) {
        ctx.problems.add(ctx.file, key.getStartMark(), child(name), "duplicate key '" + name
            + "' (first at line " + (first.mark.getLine() + 1) + ")");
      }
    }
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public String path() {
    return path;
  }

  /** The value at {@code key}, or null when absent (or written with no value); the key becomes valid. */
  public YamlValue get(String key) {
    known.add(key);
    YamlValue v = entries.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** Whether {@code key} is present (with a value). */
  public boolean has(String key) {
    known.add(key);
    YamlValue v = entries.get(key);
    return v != null && !v.isNull();
  }

  /** Every entry, in file order, for mappings whose keys are names (services). */
  public Map<String, YamlValue> entries() {
    return entries;
  }

  /** Marks keys as valid without reading them. */
  public void allow(String... keys) {
    known.addAll(List.of(keys));
  }

  /** Reports every key not asked for as unknown. */
  public void finish() {
    List<String> valid = new ArrayList<>(known);
    for (Map.Entry<String, YamlValue> e : entries.entrySet()) {
      if (!known.contains(e.getKey())) {
        String near = Suggest.nearest(e.getKey(), valid);
        e.getValue().problem("unknown key" + (near != null ? ": did you mean '" + near + "'?"
            : "; valid keys here: " + String.join(", ", valid)));
      }
    }
  }
}
