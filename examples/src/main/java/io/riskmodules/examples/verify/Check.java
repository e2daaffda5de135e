package io.riskmodules.examples.verify;

/**
 * One row of a service's table.
 *
 * @param id stable identifier, for scripts reading the JSON (for example {@code half_open})
 * @param check what is verified, for people
 * @param expected what the config says should happen
 * @param observed what the simulated service saw
 * @param result {@code PASS} or {@code FAIL}
 */
public record Check(String id, String check, String expected, String observed, String result) {

  static Check of(String id, String check, String expected, String observed, boolean passed) {
    return new Check(id, check, expected, observed, passed ? "PASS" : "FAIL");
  }

  /** Whether it passed. */
  public boolean passed() {
    return "PASS".equals(result);
  }
}
