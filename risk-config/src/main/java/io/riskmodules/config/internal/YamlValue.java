package io.riskmodules.config.internal;

import io.riskmodules.config.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One value at a key path, read as the type a key expects. Every reader returns null after
 * adding a problem that names the place, the key path, the rule and the value (or {@code
 * [secret]} for secret fields); the caller just carries on, so that one run reports everything.
 */
public final class YamlValue {

  /** Durations written as text: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h30m}, {@code 1d}. */
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  static final Duration MAX_DURATION = Duration.ofDays(365);

  final Ctx ctx;
  final String path;
  final Node node;
  /** Where problems of this value are reported: its key for a mapping entry, itself for a list item. */
  final Mark mark;
  private boolean secret;

  YamlValue(Ctx ctx, String path, Node node, Mark mark) {
    this.ctx = ctx;
    this.path = path;
    this.node = node;
    this.mark = mark;
  }

  /** A root value. */
  public static YamlValue root(Ctx ctx, Node node) {
    return new YamlValue(ctx, "", node, node.getStartMark());
  }

  public String path() {
    return path;
  }

  public Mark mark() {
    return mark;
  }

  /** Treats this value as a secret: problems never show it. */
  public YamlValue secret() {
    this.secret = true;
    return this;
  }

  /** Reports a problem at this value. */
  public void problem(String message) {
    ctx.problems.add(ctx.file, mark, path, message);
  }

  boolean isNull() {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  private String shown(String text) {
    if (secret) {
      return "[secret]";
    }
    String t = text.length() > 60 ? text.substring(0, 57) + "..." : text;
    return "'" + t + "'";
  }

  private String kind() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) node;
    if (s.getTag().equals(Tag.NULL)) {
      return "empty";
    }
    return shown(s.getValue());
  }

  /**
   * The scalar's text with {@code ${VAR}} and {@code ${VAR:-fallback}} replaced, or null (with a
   * problem) when it is not a scalar or a variable is missing.
   */
  private String text(String expected) {
    if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
      problem("must be " + expected + ", was " + kind());
      return null;
    }
    String raw = s.getValue();
    if (raw.indexOf("${") < 0) {
      return raw;
    }
    Matcher m = VARIABLE.matcher(raw);
    StringBuilder out = new StringBuilder();
    boolean missing = false;
    while (m.find()) {
      String value = ctx.env.apply(m.group(1));
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        missing = true;
        if (!ctx.lenient) {
          problem("environment variable " + m.group(1) + " is not set (write ${" + m.group(1)
              + ":-fallback} for a default)");
        }
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return missing ? null : out.toString();
  }

  private boolean substituted() {
    return node instanceof ScalarNode s && s.getValue().contains("${");
  }

  /** Whether the scalar was written as a number (or came from a variable, which is text). */
  private boolean numeric() {
    if (!(node instanceof ScalarNode s)) {
      return false;
    }
    return s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT) || substituted();
  }

  /** Whether this is a zero written as a number or a duration ({@code 0}, {@code 0s}, {@code 0ms}). */
  boolean isZero() {
    return node instanceof ScalarNode s && s.getValue().trim().matches("0+(\\.0+)?(ms|s|m|h|d)?");
  }

  /** A string (any scalar but null; numbers and booleans as written). */
  public String string() {
    return text("a string");
  }

  /** A non-blank string. */
  public String nonBlank() {
    String s = text("a non-empty string");
    if (s != null && s.isBlank()) {
      problem("must not be empty");
      return null;
    }
    return s;
  }

  /** A secret string; problems never show it. */
  public Secret secretString() {
    secret();
    String s = text("a string");
    if (s == null) {
      return null;
    }
    if (s.isBlank()) {
      if (!ctx.lenient) {
        problem("must not be empty");
      }
      return null;
    }
    return Secret.of(s);
  }

  /** An integer from {@code min} to {@code max}. */
  public Integer integer(long min, long max) {
    Long v = longValue(min, max);
    return v == null ? null : v.intValue();
  }

  /** A long from {@code min} to {@code max}. */
  public Long longValue(long min, long max) {
    String s = text("an integer");
    if (s == null) {
      return null;
    }
    long v;
    try {
      if (!numeric()) {
        throw new NumberFormatException();
      }
      v = Long.parseLong(s.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      problem("must be an integer, was " + shown(s));
      return null;
    }
    return inRange(v, min, max) ? v : null;
  }

  private boolean inRange(long v, long min, long max) {
    if (v < min) {
      problem(max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "must be at least " + min + ", was " + v
          : "must be from " + min + " to " + max + ", was " + v);
      return false;
    }
    if (v > max) {
      problem(min == Long.MIN_VALUE ? "must be at most " + max + ", was " + v
          : "must be from " + min + " to " + max + ", was " + v);
      return false;
    }
    return true;
  }

  /** A number (integer or decimal). */
  public Double number() {
    String s = text("a number");
    if (s == null) {
      return null;
    }
    try {
      if (!numeric()) {
        throw new NumberFormatException();
      }
      double v = Double.parseDouble(s.trim().replace("_", ""));
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      problem("must be a number, was " + shown(s));
      return null;
    }
  }

  /** A rate in (0, 1]. */
  public Double rate() {
    Double v = number();
    if (v != null && !(v > 0 && v <= 1)) {
      problem("must be in (0, 1], was " + v);
      return null;
    }
    return v;
  }

  /** A number at least {@code min}. */
  public Double numberAtLeast(double min) {
    Double v = number();
    if (v != null && v < min) {
      problem("must be at least " + min + ", was " + v);
      return null;
    }
    return v;
  }

  /** A number greater than 0. */
  public Double positiveNumber() {
    Double v = number();
    if (v != null && !(v > 0)) {
      problem("must be greater than 0, was " + v);
      return null;
    }
    return v;
  }

  /** {@code true} or {@code false} (YAML's yes/no/on/off too). */
  public Boolean bool() {
    String s = text("true or false");
    if (s == null) {
      return null;
    }
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on":
        return Boolean.TRUE;
      case "false": case "no": case "off":
        return Boolean.FALSE;
      default:
        problem("must be true or false, was " + shown(s));
        return null;
    }
  }

  /** One of {@code allowed} (lower case as written), with the nearest suggested. */
  public String oneOf(Collection<String> allowed) {
    String s = text("one of " + String.join(", ", allowed));
    if (s == null) {
      return null;
    }
    if (allowed.contains(s)) {
      return s;
    }
    String near = Suggest.nearest(s.toLowerCase(Locale.ROOT), allowed);
    problem("must be one of " + String.join(", ", allowed) + ", was " + shown(s)
        + (near != null ? " (did you mean '" + near + "'?)" : ""));
    return null;
  }

  /**
   * A duration: a number in {@code unit} (the RFC's units: seconds for {@code *_seconds} keys,
   * milliseconds for {@code slow_call_duration_threshold}), or text such as {@code 500ms},
   * {@code 30s}, {@code 2m}, {@code 1h30m}. Greater than 0 and at most 365 days.
   */
  public Duration duration(ChronoUnit unit) {
    String s = text("a duration");
    if (s == null) {
      return null;
    }
    String t = s.trim();
    Duration d;
    try {
      if (numeric() && t.matches("-?\\d+(\\.\\d+)?")) {
        d = scaled(new BigDecimal(t), unit);
      } else {
        d = parseText(t);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      d = null;
    }
    if (d == null) {
      problem("must be a duration: a number of " + unit.toString().toLowerCase(Locale.ROOT)
          + " or text such as 500ms, 30s, 2m, 1h, was " + shown(s));
      return null;
    }
    if (d.isNegative() || d.isZero()) {
      problem("must be greater than 0, was " + shown(s));
      return null;
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      problem("must be at most 365 days, was " + shown(s));
      return null;
    }
    return d;
  }

  private static Duration scaled(BigDecimal amount, ChronoUnit unit) {
    BigDecimal nanos = amount.multiply(BigDecimal.valueOf(unit.getDuration().toNanos()));
    if (nanos.abs().compareTo(BigDecimal.valueOf(MAX_DURATION.toNanos()).multiply(BigDecimal.TEN)) > 0) {
      return Duration.ofDays(3650); // out of range, reported by the caller without overflowing
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static Duration parseText(String t) {
    if (t.isEmpty() || t.length() > 40) {
      return null;
    }
    Matcher m = DURATION_PART.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      ChronoUnit unit = switch (m.group(2)) {
        case "ms" -> ChronoUnit.MILLIS;
        case "s" -> ChronoUnit.SECONDS;
        case "m" -> ChronoUnit.MINUTES;
        case "h" -> ChronoUnit.HOURS;
        default -> ChronoUnit.DAYS;
      };
      total = total.plus(scaled(new BigDecimal(m.group(1)), unit));
      at = m.end();
    }
    return total;
  }

  /** This value as a mapping, or null with a problem. */
  public YamlMap map() {
    if (node instanceof MappingNode m) {
      return new YamlMap(ctx, path, m);
    }
    problem("must be a mapping of keys, was " + kind());
    return null;
  }

  /** Whether this value is a mapping. */
  public boolean isMap() {
    return node instanceof MappingNode;
  }

  /** This value as a list (a single scalar is not promoted), or null with a problem. */
  public List<YamlValue> list() {
    if (!(node instanceof SequenceNode seq)) {
      problem("must be a list, was " + kind());
      return null;
    }
    List<YamlValue> items = new ArrayList<>(seq.getValue().size());
    int i = 0;
    for (Node item : seq.getValue()) {
      YamlValue v = new YamlValue(ctx, path + "[" + i++ + "]", item, item.getStartMark());
      if (secret) {
        v.secret();
      }
      items.add(v);
    }
    return items;
  }

  /** The same value read in a context that forgives missing variables. */
  public YamlValue lenient() {
    YamlValue v = new YamlValue(ctx.lenient(), path, node, mark);
    v.secret = secret;
    return v;
  }
}
