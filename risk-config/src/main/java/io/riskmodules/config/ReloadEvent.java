package io.riskmodules.config;

import java.time.Instant;
import java.util.List;

/**
 * What a reload of the config files did.
 *
 * @param outcome applied, rejected or unchanged
 * @param at when the files were read
 * @param changes what was applied, one line each ({@code services added: [search_service]});
 *     empty unless applied
 * @param problems why the files were rejected; empty unless rejected
 */
public record ReloadEvent(Outcome outcome, Instant at, List<String> changes, List<ConfigProblem> problems) {

  public ReloadEvent {
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
  }

  /** The outcome of a reload; {@link #tag()} is the Micrometer tag value. */
  public enum Outcome {
    /** The files were valid and different: the runtime now runs them. */
    APPLIED,
    /** A file was invalid, half-written or missing: nothing changed, the running config stays. */
    REJECTED,
    /** The files are as last read: nothing was done. */
    UNCHANGED;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
