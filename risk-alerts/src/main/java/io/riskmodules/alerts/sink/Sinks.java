package io.riskmodules.alerts.sink;

import java.util.Objects;

/** Checks shared by the sink builders. */
final class Sinks {

  private Sinks() {}

  static String requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw new IllegalArgumentException(
          "sink name must be 1 to 64 letters, digits or _ . : -, was " + name);
    }
    return name;
  }
}
