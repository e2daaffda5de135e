package io.riskmodules.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Check mode: validates config files, prints every problem as {@code file:line:column key.path:
 * message}, and exits non-zero on any.
 *
 * <pre>
 * java -cp risk-config.jar:... io.riskmodules.config.ConfigCheck [--allow-missing-env] FILE...
 * </pre>
 *
 * <p>Exit status: 0 when every file is valid, 1 when there are problems, 2 for a wrong command
 * line. With {@code --allow-missing-env} a {@code ${VAR}} that is not set is not a problem (for a
 * CI machine without the production secrets).
 */
public final class ConfigCheck {

  private ConfigCheck() {}

  /** Runs the check and exits with its status. */
  public static void main(String... args) {
    int status = run(List.of(args), System.out, System.err, System::getenv);
    System.exit(status);
  }

  /**
   * Runs the check: prints a summary to {@code out} when valid, every problem to {@code err}
   * otherwise.
   *
   * @return 0 valid, 1 problems, 2 wrong arguments
   */
  public static int run(List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    boolean allowMissing = false;
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--allow-missing-env")) {
        allowMissing = true;
      } else if (a.equals("--check-config")) {
        continue; // the verification run's flag, passed through
      } else if (a.startsWith("--")) {
        err.println("unknown option " + a);
        err.println("usage: ConfigCheck [--allow-missing-env] FILE...");
        return 2;
      } else {
        files.add(Path.of(a));
      }
    }
    if (files.isEmpty()) {
      err.println("usage: ConfigCheck [--allow-missing-env] FILE...");
      return 2;
    }
    try {
      RiskConfig config = ConfigLoader.builder().environment(env).allowMissingVariables(allowMissing).build()
          .load(files.toArray(Path[]::new));
      out.println("OK " + String.join(", ", config.files()) + ": " + config.breakers().services().size()
          + " services, " + config.alertChannels().size() + " alert channels"
          + config.deployment().map(d -> ", " + d.nodes().size() + " nodes").orElse(""));
      return 0;
    } catch (ConfigException e) {
      for (ConfigProblem p : e.problems()) {
        err.println(p);
      }
      err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
      return 1;
    }
  }
}
