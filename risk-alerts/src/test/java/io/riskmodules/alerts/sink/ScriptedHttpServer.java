package io.riskmodules.alerts.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 (a free port) that plays Slack, PagerDuty or any webhook: it
 * records each request and answers from a script, then with a fallback answer.
 */
final class ScriptedHttpServer implements AutoCloseable {

  /** One request as received. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** One scripted answer; {@code hang} never answers (until the server closes). */
  record Answer(int status, String body, Map<String, String> headers, boolean hangs) {
    static Answer of(int status, String body) {
      return new Answer(status, body, Map.of(), false);
    }

    static Answer retryAfter(int status, String seconds) {
      return new Answer(status, "", Map.of("Retry-After", seconds), false);
    }

    static Answer hang() {
      return new Answer(0, "", Map.of(), true);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-http");
    t.setDaemon(true);
    return t;
  });
  private final Deque<Answer> script = new ArrayDeque<>();
  private final Answer fallback;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  ScriptedHttpServer(Answer fallback) throws IOException {
    this.fallback = fallback;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  synchronized ScriptedHttpServer then(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  private synchronized Answer next() {
    Answer a = script.pollFirst();
    return a == null ? fallback : a;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          Map.copyOf(exchange.getRequestHeaders()), body));
      Answer a = next();
      if (a.hangs()) {
        try {
          closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** A URL on 127.0.0.1 where nothing listens (connection refused). */
  static String refusedUrl(String path) throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    return "http://127.0.0.1:" + port + path;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
