package io.riskmodules.config;

import java.util.Objects;

/**
 * One thing wrong with a config file, at its place: {@code
 * circuit_breaker_config.yaml:25:7 circuit_breaker.services.payment_service.failure_threshold:
 * must be at least 1, was 0}.
 *
 * @param file the file's name as given (a path, or the name a test gave a string)
 * @param line 1-based line, 0 when the problem has no place in the file (it could not be read)
 * @param column 1-based column, 0 when the problem has no place
 * @param path the dotted key path ({@code nodes[2].port}), or {@code ""} for the file as a whole
 * @param message what is wrong and what is allowed; never a secret's value
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

  public ConfigProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:column path: message}, the format check mode prints. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + " " + (path.isEmpty() ? "(file)" : path) + ": " + message;
  }
}
