package io.riskmodules.config.internal;

import io.riskmodules.config.ConfigException;
import io.riskmodules.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/** Collects every problem of a load, so that one run reports them all. Not thread-safe. */
public final class Problems {

  private final List<ConfigProblem> list = new ArrayList<>();
  private final java.util.Map<String, Integer> fileOrder = new java.util.HashMap<>();

  /** Declares a file, so that its problems are listed in the order files were given. */
  public void declare(String file) {
    fileOrder.putIfAbsent(file, fileOrder.size());
  }

  /** Adds a problem at a SnakeYAML mark (0-based), or at no place when {@code mark} is null. */
  public void add(String file, Mark mark, String path, String message) {
    int line = mark == null ? 0 : mark.getLine() + 1;
    int column = mark == null ? 0 : mark.getColumn() + 1;
    list.add(new ConfigProblem(file, line, column, path, message));
  }

  /** Adds a problem at a 1-based line and column. */
  public void add(String file, int line, int column, String path, String message) {
    list.add(new ConfigProblem(file, line, column, path, message));
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public int size() {
    return list.size();
  }

  /** In file order, then by line and column (files in the order they first had a problem). */
  public List<ConfigProblem> list() {
    java.util.Map<String, Integer> fileOrder = new java.util.HashMap<>(this.fileOrder);
    for (ConfigProblem p : list) {
      fileOrder.putIfAbsent(p.file(), fileOrder.size());
    }
    List<ConfigProblem> sorted = new ArrayList<>(list);
    sorted.sort(java.util.Comparator.<ConfigProblem>comparingInt(p -> fileOrder.get(p.file()))
        .thenComparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
    return List.copyOf(sorted);
  }

  /** @throws ConfigException with every problem, if there is any */
  public void throwIfAny() {
    if (!list.isEmpty()) {
      throw new ConfigException(list());
    }
  }
}
