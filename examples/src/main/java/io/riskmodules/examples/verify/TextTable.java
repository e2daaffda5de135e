package io.riskmodules.examples.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A service's checks as a plain-text table, long cells wrapped at word boundaries. */
final class TextTable {

  private static final String[] HEADERS = {"check", "expected", "observed", "result"};
  private static final int[] MAX = {34, 44, 44, 6};

  private TextTable() {}

  static void print(ServiceReport report, PrintStream out) {
    out.println();
    out.println(report.service() + ": " + (report.passed() ? "PASS" : "FAIL"));
    int[] width = new int[4];
    for (int i = 0; i < 4; i++) {
      width[i] = HEADERS[i].length();
    }
    for (Check c : report.checks()) {
      String[] cells = cells(c);
      for (int i = 0; i < 4; i++) {
        width[i] = Math.min(MAX[i], Math.max(width[i], cells[i].length()));
      }
    }
    String rule = rule(width);
    out.println(rule);
    row(HEADERS, width, out);
    out.println(rule);
    for (Check c : report.checks()) {
      row(cells(c), width, out);
    }
    out.println(rule);
  }

  private static String[] cells(Check c) {
    return new String[] {c.check(), c.expected(), c.observed(), c.result()};
  }

  private static String rule(int[] width) {
    StringBuilder b = new StringBuilder("+");
    for (int w : width) {
      b.append("-".repeat(w + 2)).append('+');
    }
    return b.toString();
  }

  private static void row(String[] cells, int[] width, PrintStream out) {
    List<List<String>> wrapped = new ArrayList<>();
    int lines = 1;
    for (int i = 0; i < cells.length; i++) {
      List<String> w = wrap(cells[i], width[i]);
      wrapped.add(w);
      lines = Math.max(lines, w.size());
    }
    for (int l = 0; l < lines; l++) {
      StringBuilder b = new StringBuilder("|");
      for (int i = 0; i < cells.length; i++) {
        String text = l < wrapped.get(i).size() ? wrapped.get(i).get(l) : "";
        b.append(' ').append(text).append(" ".repeat(width[i] - text.length())).append(" |");
      }
      out.println(b);
    }
  }

  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      while (word.length() > width) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, width));
        word = word.substring(width);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
