package io.riskmodules.examples.verify;

import java.io.PrintStream;

/** Progress lines while the run goes on; one line at a time when services run side by side. */
final class Progress {
  private final PrintStream out;
  private final String prefix;

  Progress(PrintStream out, String prefix) {
    this.out = out;
    this.prefix = prefix;
  }

  Progress prefixed(String p) {
    return new Progress(out, p);
  }

  void line(String text) {
    synchronized (out) {
      out.println(prefix + text);
      out.flush();
    }
  }
}
