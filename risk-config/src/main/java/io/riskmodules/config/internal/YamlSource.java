package io.riskmodules.config.internal;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns a file's bytes into a SnakeYAML node tree with line and column marks, under limits that
 * make hostile input cheap to refuse: the size is checked before anything is decoded, bytes
 * that are not UTF-8 are refused with their place, and the composer refuses deep nesting and
 * aliases to collections beyond a few (a "billion laughs" file never expands: composing keeps
 * aliases as shared nodes, and the binder only walks the shapes it expects).
 *
 * <p>Only {@code compose} is used: no Java object is ever constructed from a tag.
 */
public final class YamlSource {

  /** Limits of one file. */
  public record Limits(long maxBytes, int maxDepth, int maxAliases) {
    public static final Limits DEFAULT = new Limits(1 << 20, 64, 50);
  }

  private YamlSource() {}

  /** The root node, or null with the reasons added to {@code problems}. */
  public static Node parse(String file, byte[] bytes, Limits limits, Problems problems) {
    if (bytes.length > limits.maxBytes()) {
      problems.add(file, null, "", "file is " + bytes.length + " bytes, more than the limit of " + limits.maxBytes()
          + " bytes");
      return null;
    }
    String text = decode(file, bytes, problems);
    if (text == null) {
      return null;
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // the binder reports duplicates with both places
    options.setMaxAliasesForCollections(limits.maxAliases());
    options.setNestingDepthLimit(limits.maxDepth());
    options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes()));
    options.setAllowRecursiveKeys(false);
    options.setProcessComments(false);
    try {
      Node root = new Yaml(options).compose(new StringReader(text));
      if (root == null) {
        problems.add(file, 1, 1, "", "file is empty: expected a mapping of top-level keys");
      }
      return root;
    } catch (MarkedYAMLException e) {
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      problems.add(file, e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "",
          "YAML syntax: " + problem + context);
      return null;
    } catch (YAMLException e) {
      // limits (depth, aliases, size) are reported without a mark
      problems.add(file, null, "", "YAML refused: " + limitMessage(e.getMessage(), limits));
      return null;
    } catch (StackOverflowError e) {
      problems.add(file, null, "", "YAML refused: nested too deeply");
      return null;
    }
  }

  private static String limitMessage(String message, Limits limits) {
    String m = firstLine(message);
    if (m.contains("Nesting Depth") || m.contains("nesting depth")) {
      return "nested deeper than " + limits.maxDepth() + " levels";
    }
    if (m.contains("aliases for non-scalar nodes")) {
      return "more than " + limits.maxAliases() + " aliases to lists or mappings (an alias bomb?)";
    }
    if (m.contains("code points")) {
      return "more than " + limits.maxBytes() + " characters";
    }
    return m;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid YAML";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Strict UTF-8 (a leading byte-order mark dropped); a bad byte is reported at its line and column. */
  static String decode(String file, byte[] bytes, Problems problems) {
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf
        ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int bad = in.position();
      int line = 1;
      int column = 1;
      for (int i = start; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xc0) != 0x80) {
          column++;
        }
      }
      problems.add(file, line, column, "", String.format("not valid UTF-8: byte 0x%02x at offset %d"
          + " (config files must be UTF-8)", bytes[bad] & 0xff, bad));
      return null;
    }
    try {
      result = decoder.flush(out);
      if (result.isError()) {
        result.throwException();
      }
    } catch (CharacterCodingException e) {
      problems.add(file, null, "", "not valid UTF-8 at the end of the file");
      return null;
    }
    out.flip();
    return out.toString();
  }
}
