package io.riskmodules.testing;

/**
 * The exception a {@link SimulatedService} throws when scripted to fail without a given
 * exception. No stack trace: it is expected, often thrown, and says where it came from in its
 * message.
 */
public final class SimulatedFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure with {@code message}. */
  public SimulatedFailure(String message) {
    super(message, null, false, false);
  }

  /** A failure with {@code message} and {@code cause}. */
  public SimulatedFailure(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
