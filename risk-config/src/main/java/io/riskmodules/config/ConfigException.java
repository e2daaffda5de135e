package io.riskmodules.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The config files were rejected; {@link #problems()} lists every problem of every file, and the
 * message lists them all, one a line. Nothing of a rejected set of files is applied.
 *
 * <pre>{@code
 * try {
 *   RiskModules.load(Path.of("config/circuit_breaker_config.yaml"));
 * } catch (ConfigException e) {
 *   e.problems().forEach(p -> log.error("{}", p));
 * }
 * }</pre>
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  /** @param problems at least one problem */
  public ConfigException(List<ConfigProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    return problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the config:\n"
        + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
  }
}
