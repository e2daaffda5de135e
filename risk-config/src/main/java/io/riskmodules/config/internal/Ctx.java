package io.riskmodules.config.internal;

import java.util.Map;
import java.util.function.Function;

/**
 * What the readers of one file share: its name, the problem list, the environment, and whether
 * missing variables are forgiven (inside a part that is switched off).
 */
public final class Ctx {
  final String file;
  final Problems problems;
  final Function<String, String> env;
  final boolean lenient;

  public Ctx(String file, Problems problems, Function<String, String> env) {
    this(file, problems, env, false);
  }

  Ctx(String file, Problems problems, Function<String, String> env, boolean lenient) {
    this.file = file;
    this.problems = problems;
    this.env = env;
    this.lenient = lenient;
  }

  /** This context, forgiving missing variables (for a channel with {@code enabled: false}). */
  Ctx lenient() {
    return lenient ? this : new Ctx(file, problems, env, true);
  }

  public String file() {
    return file;
  }

  public Problems problems() {
    return problems;
  }

  static Function<String, String> of(Map<String, String> map) {
    return map::get;
  }
}
