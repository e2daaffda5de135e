package io.riskmodules.config.internal;

import java.util.Collection;

/** The nearest valid word to a misspelt one, by edit distance. */
final class Suggest {

  private Suggest() {}

  /** The nearest of {@code candidates} within a third of the word's length (at least 2 edits), or null. */
  static String nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int limit = Math.max(2, word.length() / 3);
    for (String candidate : candidates) {
      int d = distance(word, candidate);
      if (d < bestDistance && d <= limit) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Optimal string alignment distance (Levenshtein plus swaps of neighbours). */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 16) {
      return Integer.MAX_VALUE; // far apart anyway; bounds the work on hostile keys
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
