package io.riskmodules.examples;

import io.riskmodules.config.ConfigCheck;
import io.riskmodules.examples.verify.ConfigSource;
import io.riskmodules.examples.verify.VerifyCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The verification run of RFC-136 §1.2, the README's main command: {@code java -jar
 * examples/target/verification-run.jar} verifies the bundled config's services in simulated time
 * (see {@link VerifyCommand} for the options); {@code --check-config} only validates the files.
 */
public final class VerificationRun {

  private VerificationRun() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("nodes")) System.exit(io.riskmodules.examples.nodes.NodesVerification.run(List.of(args).subList(1, args.length)));
    List<String> arguments = List.of(args);
    if (arguments.contains("--check-config")) {
      System.exit(checkConfig(arguments, System.out, System.err, System::getenv));
    }
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      // the run reports every transition and alert itself; the library's own log lines would double them
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    System.exit(VerifyCommand.run(arguments, System.out, System.err, System::getenv));
  }

  /**
   * {@code --check-config [--allow-missing-env] [--config DIR | FILE...]}: validates the files (by
   * default the bundled {@code examples/config/*.yaml}, from the jar) with risk-config's check
   * mode, printing every problem as {@code file:line:column key.path: message}.
   *
   * @return 0 when every file is valid, 1 when there are problems, 2 for a wrong command line
   */
  static int checkConfig(List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    List<String> forwarded = new ArrayList<>();
    Path dir = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config")) {
        if (i + 1 >= args.size()) {
          err.println("--config needs a directory");
          return 2;
        }
        dir = Path.of(args.get(++i));
      } else if (!args.get(i).equals("--check-config")) {
        forwarded.add(args.get(i));
      }
    }
    forwarded.add(0, "--check-config");
    if (forwarded.stream().allMatch(a -> a.startsWith("--"))) {
      ConfigSource source;
      try {
        source = dir == null ? ConfigSource.bundled() : ConfigSource.directory(dir);
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return 2;
      }
      try (source) {
        source.files().forEach(f -> forwarded.add(f.toString()));
        return ConfigCheck.run(forwarded, out, err, env);
      }
    }
    return ConfigCheck.run(forwarded, out, err, env);
  }
}
