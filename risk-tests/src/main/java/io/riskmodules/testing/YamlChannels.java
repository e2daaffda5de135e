package io.riskmodules.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Switches off the alert channels of a config file's text, leaving every other line as written. */
final class YamlChannels {

  /** A block-style list item starting with one of its keys, e.g. {@code - type: slack} as the RFC writes it. */
  private static final Pattern CHANNEL_ITEM = Pattern.compile("^(\\s*)-(\\s+)([A-Za-z_][A-Za-z0-9_]*)\\s*:.*$");
  /** A flow-style item: {@code - {type: slack, ...}}. */
  private static final Pattern FLOW_ITEM = Pattern.compile("^(\\s*-\\s*\\{\\s*)(.*)$");

  private YamlChannels() {}

  /**
   * {@code text} with {@code enabled: false} in every item of {@code alerts.channels}. Only the
   * lines inside the {@code channels:} list under a top-level {@code alerts:} are touched; an
   * {@code enabled:} key already there is overridden.
   */
  static String disable(String text) {
    StringBuilder out = new StringBuilder(text.length() + 128);
    boolean inAlerts = false;
    int channelsIndent = -1;
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      int indent = line.length() - line.stripLeading().length();
      boolean content = !trimmed.isEmpty() && !trimmed.startsWith("#");
      if (content && indent == 0) {
        inAlerts = trimmed.startsWith("alerts:");
        channelsIndent = -1;
      } else if (inAlerts && content && trimmed.startsWith("channels:")) {
        channelsIndent = indent;
      } else if (channelsIndent >= 0 && content && indent <= channelsIndent && !trimmed.startsWith("-")) {
        channelsIndent = -1;
      }
      if (channelsIndent >= 0 && trimmed.matches("enabled\\s*:.*")) {
        continue; // a channel's own enabled key: replaced below
      }
      Matcher item = channelsIndent >= 0 ? CHANNEL_ITEM.matcher(line) : null;
      Matcher flow = channelsIndent >= 0 ? FLOW_ITEM.matcher(line) : null;
      if (flow != null && flow.matches()) {
        String rest = flow.group(2).replaceAll(",\\s*enabled\\s*:\\s*[^,}]*", "")
            .replaceAll("^\\s*enabled\\s*:\\s*[^,}]*,?\\s*", "");
        out.append(flow.group(1)).append("enabled: false, ").append(rest).append('\n');
      } else if (item != null && item.matches()) {
        if (item.group(3).equals("enabled")) {
          out.append(item.group(1)).append('-').append(item.group(2)).append("enabled: false\n");
        } else {
          out.append(line).append('\n');
          out.append(item.group(1)).append(' ').append(item.group(2)).append("enabled: false\n");
        }
      } else {
        out.append(line).append('\n');
      }
    }
    out.setLength(out.length() - 1); // the split's last piece had no newline after it
    return out.toString();
  }
}
