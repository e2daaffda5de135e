package io.riskmodules.failover;

/**
 * A call to one node of a group; may throw checked exceptions, which reach the caller unwrapped.
 *
 * <pre>{@code
 * NodeCall<String> fetch = node -> http.send(get(node.uri("/quote")), ofString()).body();
 * }</pre>
 */
@FunctionalInterface
public interface NodeCall<T> {
  /** Calls {@code node}. */
  T call(Node node) throws Exception;
}
