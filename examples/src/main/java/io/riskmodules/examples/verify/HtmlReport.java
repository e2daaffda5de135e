package io.riskmodules.examples.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run as one self-contained HTML page (no script, no external file): a summary, and per
 * service its settings, an SVG timeline (state bands, every call, the risk score at each metrics
 * sample, the alerts) and its table of checks. The page is well-formed XML, so tools (and the
 * tests) can read it with an XML parser; {@link #svgOverview} gives the timelines alone as one SVG
 * file.
 */
final class HtmlReport {

  static final String SVG_NS = "http://www.w3.org/2000/svg";
  static final Map<String, String> STATE_COLORS = new LinkedHashMap<>();
  static final Map<String, String> CALL_COLORS = new LinkedHashMap<>();

  static {
    STATE_COLORS.put("CLOSED", "#b9e4c3");
    STATE_COLORS.put("OPEN", "#f4a7a3");
    STATE_COLORS.put("HALF_OPEN", "#ffe08a");
    STATE_COLORS.put("FORCED_OPEN", "#c0392b");
    STATE_COLORS.put("DISABLED", "#cccccc");
    CALL_COLORS.put("success", "#2e7d32");
    CALL_COLORS.put("slow", "#ef8f00");
    CALL_COLORS.put("failure", "#c62828");
    CALL_COLORS.put("rejected", "#8c8c8c");
    CALL_COLORS.put("ignored", "#1e63b4");
  }

  private static final int WIDTH = 960;
  private static final int HEIGHT = 250;
  private static final int LEFT = 96;
  private static final int RIGHT = 16;
  private static final int STATE_TOP = 22;
  private static final int STATE_BOTTOM = 48;
  private static final int CALLS_BOTTOM = 104;
  private static final int RISK_TOP = 116;
  private static final int RISK_BOTTOM = 206;
  private static final int AXIS = 222;
  private static final int DOT_STEP = 4;
  private static final int DOTS_PER_COLUMN = 13;

  private HtmlReport() {}

  static String render(RunReport report) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>Risk Modules verification run: ").append(report.passed() ? "PASS" : "FAIL").append("</title>\n")
        .append("<style>\n")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1000px}\n")
        .append("h1{font-size:22px}h2{font-size:18px;margin:28px 0 4px}\n")
        .append(".PASS{color:#1b5e20;font-weight:600}.FAIL{color:#b71c1c;font-weight:600}\n")
        .append("table{border-collapse:collapse;width:100%;font-size:13px;margin-top:6px}\n")
        .append("th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}\n")
        .append("th{background:#f3f3f3}tr.FAIL td{background:#fdecea}\n")
        .append(".settings,.meta{color:#555;font-size:13px}svg{display:block;margin-top:8px}\n")
        .append("</style>\n</head>\n<body>\n");
    b.append("<h1>Risk Modules verification run: <span class=\"").append(result(report.passed())).append("\">")
        .append(result(report.passed())).append("</span></h1>\n");
    b.append("<p class=\"meta\" id=\"summary\">").append(report.services().size()).append(" services, ")
        .append(report.checks()).append(" checks, ").append(report.checks() - report.failed()).append(" passed, ")
        .append(report.failed()).append(" failed. Config: ").append(esc(report.config())).append(" (")
        .append(esc(String.join(", ", report.files()))).append("). Clock: ").append(esc(report.clock()))
        .append(". Started ").append(esc(report.startedAt())).append(".</p>\n");
    b.append("<p class=\"meta\">Alert channels: console");
    for (Channels.Use u : report.channels()) {
      b.append("; ").append(esc(u.type())).append(u.used() ? " used (" : " skipped (").append(esc(u.reason())).append(')');
    }
    b.append(".</p>\n");
    b.append("<p class=\"meta\">").append(legend()).append("</p>\n");
    for (ServiceReport s : report.services()) {
      b.append("<section class=\"service\" id=\"").append(esc(s.service())).append("\">\n");
      b.append("<h2>").append(esc(s.service())).append(" <span class=\"").append(result(s.passed())).append("\">")
          .append(result(s.passed())).append("</span></h2>\n");
      List<String> settings = new ArrayList<>();
      s.settings().forEach((k, v) -> settings.add(k + " " + v));
      b.append("<p class=\"settings\">").append(esc(String.join(" \u00b7 ", settings))).append("</p>\n");
      svg(b, s, true);
      b.append("<table>\n<thead><tr><th>check</th><th>expected</th><th>observed</th><th>result</th></tr></thead>\n<tbody>\n");
      for (Check c : s.checks()) {
        b.append("<tr class=\"").append(c.result()).append("\" data-check=\"").append(esc(c.id())).append("\"><td>")
            .append(esc(c.check())).append("</td><td>").append(esc(c.expected())).append("</td><td>")
            .append(esc(c.observed())).append("</td><td class=\"").append(c.result()).append("\">").append(c.result())
            .append("</td></tr>\n");
      }
      b.append("</tbody>\n</table>\n</section>\n");
    }
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  /** Every service's timeline stacked in one standalone SVG image, with a title line each. */
  static String svgOverview(RunReport report) {
    int title = 26;
    int total = report.services().size() * (HEIGHT + title) + 40;
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"").append(SVG_NS).append("\" width=\"")
        .append(WIDTH).append("\" height=\"").append(total).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(total).append("\" font-family=\"sans-serif\">\n");
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    b.append("<text x=\"8\" y=\"24\" font-size=\"17\" font-weight=\"bold\">Risk Modules verification run: ")
        .append(result(report.passed())).append(" (").append(report.checks() - report.failed()).append(" of ")
        .append(report.checks()).append(" checks passed, ").append(esc(report.clock())).append(" time)</text>\n");
    int y = 40;
    for (ServiceReport s : report.services()) {
      long passed = s.checks().stream().filter(Check::passed).count();
      b.append("<text x=\"8\" y=\"").append(y + 18).append("\" font-size=\"14\" font-weight=\"bold\" fill=\"")
          .append(s.passed() ? "#1b5e20" : "#b71c1c").append("\">").append(esc(s.service())).append(": ")
          .append(result(s.passed())).append(", ").append(passed).append(" of ").append(s.checks().size())
          .append(" checks</text>\n");
      b.append("<g transform=\"translate(0,").append(y + title).append(")\">\n");
      svg(b, s, false);
      b.append("</g>\n");
      y += HEIGHT + title;
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static void svg(StringBuilder b, ServiceReport s, boolean standalone) {
    Timeline.Data t = s.timeline();
    double span = Math.max(1, t.durationMillis());
    double scale = (WIDTH - LEFT - RIGHT) / span;
    if (standalone) {
      b.append("<svg xmlns=\"").append(SVG_NS).append("\" class=\"timeline\" data-breaker=\"").append(esc(s.service()))
          .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ")
          .append(WIDTH).append(' ').append(HEIGHT).append("\" font-family=\"sans-serif\" role=\"img\">\n");
      b.append("<title>").append(esc(s.service())).append(": states, calls and risk score over ")
          .append(esc(ServiceRun.seconds(t.durationMillis()))).append("</title>\n");
    } else {
      b.append("<g class=\"timeline\" data-breaker=\"").append(esc(s.service())).append("\">\n");
    }
    label(b, "state", (STATE_TOP + STATE_BOTTOM) / 2 + 4);
    label(b, "calls", (STATE_BOTTOM + CALLS_BOTTOM) / 2 + 4);
    label(b, "risk score", (RISK_TOP + RISK_BOTTOM) / 2 + 4);

    // state bands
    b.append("<g class=\"states\">\n");
    for (Timeline.Band band : t.states()) {
      double x0 = LEFT + band.fromMillis() * scale;
      double w = Math.max(0.5, (band.toMillis() - band.fromMillis()) * scale);
      b.append("<rect class=\"band\" data-state=\"").append(band.state()).append("\" x=\"").append(f(x0))
          .append("\" y=\"").append(STATE_TOP).append("\" width=\"").append(f(w)).append("\" height=\"")
          .append(STATE_BOTTOM - STATE_TOP).append("\" fill=\"").append(STATE_COLORS.getOrDefault(band.state(), "#eee"))
          .append("\"><title>").append(band.state()).append(' ').append(ServiceRun.seconds(band.fromMillis()))
          .append(" to ").append(ServiceRun.seconds(band.toMillis())).append("</title></rect>\n");
      if (w > 46) {
        b.append("<text x=\"").append(f(x0 + 3)).append("\" y=\"").append(STATE_BOTTOM - 8)
            .append("\" font-size=\"10\" fill=\"#333\">").append(band.state()).append("</text>\n");
      }
    }
    b.append("</g>\n");

    // calls: one dot each, stacked where they fall on the same pixels
    b.append("<g class=\"calls\">\n");
    Map<Integer, Integer> stack = new LinkedHashMap<>();
    for (Timeline.CallMark c : t.calls()) {
      int column = (int) Math.round(c.atMillis() * scale / DOT_STEP);
      int k = stack.merge(column, 1, Integer::sum) - 1;
      int col = column + k / DOTS_PER_COLUMN; // a full column spills to the right
      int row = k % DOTS_PER_COLUMN;
      String kind = kind(c);
      b.append("<circle class=\"call\" data-outcome=\"").append(kind).append("\" cx=\"").append(f(LEFT + col * DOT_STEP + 2))
          .append("\" cy=\"").append(CALLS_BOTTOM - 2 - row * DOT_STEP).append("\" r=\"1.7\" fill=\"")
          .append(CALL_COLORS.get(kind)).append("\"/>\n");
    }
    b.append("</g>\n");

    // risk score: grid at the level bounds, then the readings
    b.append("<g class=\"risk\">\n");
    String[] levels = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
    for (int i = 0; i <= 4; i++) {
      double y = riskY(i * 25);
      b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(f(y))
          .append("\" y2=\"").append(f(y)).append("\" stroke=\"#ddd\"").append(i == 2 ? " stroke-dasharray=\"4 3\"" : "")
          .append("/>\n");
      if (i < 4) {
        b.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(f(riskY(i * 25 + 12.5) + 3))
            .append("\" font-size=\"8\" fill=\"#999\" text-anchor=\"end\">").append(levels[i]).append("</text>\n");
      }
    }
    if (!t.risk().isEmpty()) {
      StringBuilder points = new StringBuilder();
      for (Timeline.RiskPoint p : t.risk()) {
        points.append(f(LEFT + p.atMillis() * scale)).append(',').append(f(riskY(p.score()))).append(' ');
      }
      b.append("<polyline class=\"risk-score\" fill=\"none\" stroke=\"#6a1b9a\" stroke-width=\"1.5\" points=\"")
          .append(points.toString().trim()).append("\"/>\n");
      for (Timeline.RiskPoint p : t.risk()) {
        b.append("<circle class=\"risk-point\" cx=\"").append(f(LEFT + p.atMillis() * scale)).append("\" cy=\"")
            .append(f(riskY(p.score()))).append("\" r=\"2\" fill=\"#6a1b9a\"><title>")
            .append(ServiceRun.seconds(p.atMillis())).append(": score ").append(p.score()).append(", ").append(p.level())
            .append("</title></circle>\n");
      }
    }
    b.append("</g>\n");

    // alerts: a flag where each was raised (red) or resolved (green)
    b.append("<g class=\"alerts\">\n");
    for (Timeline.AlertMark a : t.alerts()) {
      double x = LEFT + a.atMillis() * scale;
      boolean firing = a.status().equals("FIRING");
      b.append("<path class=\"alert\" data-status=\"").append(a.status()).append("\" d=\"M").append(f(x)).append(' ')
          .append(firing ? "8 l-4 -7 h8 z" : "1 l-4 7 h8 z").append("\" fill=\"").append(firing ? "#c62828" : "#2e7d32")
          .append("\"><title>").append(esc(a.key())).append(' ').append(a.status().toLowerCase(Locale.ROOT))
          .append(" (").append(esc(a.severity())).append(") at ").append(ServiceRun.seconds(a.atMillis()))
          .append("</title></path>\n");
    }
    b.append("</g>\n");

    // time axis
    b.append("<g class=\"axis\" font-size=\"10\" fill=\"#555\">\n");
    b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(AXIS)
        .append("\" y2=\"").append(AXIS).append("\" stroke=\"#999\"/>\n");
    long step = tickStep(t.durationMillis());
    for (long ms = 0; ms <= t.durationMillis(); ms += step) {
      double x = LEFT + ms * scale;
      b.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(AXIS)
          .append("\" y2=\"").append(AXIS + 4).append("\" stroke=\"#999\"/>\n");
      b.append("<text x=\"").append(f(x)).append("\" y=\"").append(AXIS + 15).append("\" text-anchor=\"middle\">")
          .append(ms / 1000).append(" s</text>\n");
    }
    b.append("</g>\n");
    b.append(standalone ? "</svg>\n" : "</g>\n");
  }

  private static String kind(Timeline.CallMark c) {
    return switch (c.outcome()) {
      case "SUCCESS" -> c.slow() ? "slow" : "success";
      case "FAILURE" -> "failure";
      case "REJECTED" -> "rejected";
      default -> "ignored";
    };
  }

  private static String legend() {
    StringBuilder b = new StringBuilder("Timelines: state bands ");
    STATE_COLORS.forEach((s, c) -> b.append("<span style=\"background:").append(c).append(";padding:0 4px\">")
        .append(s).append("</span> "));
    b.append("\u00b7 calls ");
    CALL_COLORS.forEach((k, c) -> b.append("<span style=\"color:").append(c).append("\">\u25cf ").append(k)
        .append("</span> "));
    b.append("\u00b7 risk score (purple, 0 to 100) \u00b7 alerts: <span style=\"color:#c62828\">\u25bc firing</span> "
        + "<span style=\"color:#2e7d32\">\u25b2 resolved</span>");
    return b.toString();
  }

  private static void label(StringBuilder b, String text, int y) {
    b.append("<text x=\"8\" y=\"").append(y).append("\" font-size=\"11\" fill=\"#333\">").append(text).append("</text>\n");
  }

  private static double riskY(double score) {
    return RISK_BOTTOM - Math.max(0, Math.min(100, score)) * (RISK_BOTTOM - RISK_TOP) / 100.0;
  }

  private static long tickStep(long duration) {
    long[] steps = {1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000};
    for (long s : steps) {
      if (duration / s <= 12) {
        return s;
      }
    }
    return 7_200_000;
  }

  private static String result(boolean passed) {
    return passed ? "PASS" : "FAIL";
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Text and attribute values, escaped for HTML and XML alike. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return b.toString();
  }
}
