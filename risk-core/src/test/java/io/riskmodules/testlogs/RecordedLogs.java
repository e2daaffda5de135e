package io.riskmodules.testlogs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of risk-core's tests: it records every log event (the last few thousand) so
 * that tests can assert what the library logs, and prints errors to standard error as the
 * binding it replaces did. Found by SLF4J through {@code META-INF/services}.
 */
public final class RecordedLogs implements SLF4JServiceProvider {

  /** One log event, its message formatted. */
  public record Event(long sequence, Level level, String logger, String message, Throwable thrown) {
    @Override
    public String toString() {
      return level + " " + logger + " " + message;
    }
  }

  private static final int KEPT = 5_000;
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final ConcurrentLinkedDeque<Event> EVENTS = new ConcurrentLinkedDeque<>();
  /**
   * About how many events {@link #EVENTS} holds: its {@code size()} walks the whole deque, which
   * under Lincheck's model checker is thousands of instrumented steps per log call.
   */
  private static final AtomicInteger HELD = new AtomicInteger();

  /** A position in the log: {@link #since} gives what was logged after it. */
  public static long mark() {
    return SEQUENCE.get();
  }

  /** The events logged after {@code mark} whose message contains {@code text}, in order. */
  public static List<Event> since(long mark, String text) {
    List<Event> found = new ArrayList<>();
    for (Event e : EVENTS) {
      if (e.sequence() > mark && e.message().contains(text)) {
        found.add(e);
      }
    }
    found.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    return found;
  }

  private static void record(Level level, String logger, String message, Throwable thrown) {
    EVENTS.add(new Event(SEQUENCE.incrementAndGet(), level, logger, message, thrown));
    if (HELD.incrementAndGet() > KEPT && EVENTS.pollFirst() != null) {
      HELD.decrementAndGet();
    }
    if (level == Level.ERROR) {
      System.err.println("ERROR " + logger + " " + message);
      if (thrown != null) {
        thrown.printStackTrace();
      }
    }
  }

  private final ILoggerFactory loggers = new ILoggerFactory() {
    private final ConcurrentMap<String, Logger> made = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return made.computeIfAbsent(name, RecordingLogger::new);
    }
  };
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class RecordingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    RecordingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
      record(level, name, MessageFormatter.basicArrayFormat(pattern, arguments), thrown);
    }
  }
}
