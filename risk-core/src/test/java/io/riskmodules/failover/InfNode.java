package io.riskmodules.failover;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 playing one INF node; its answers can be switched per test. */
final class InfNode implements AutoCloseable {

  enum Mode {
    OK,
    ERROR,
    HANG
  }

  final String name;
  final HttpServer server;
  final AtomicInteger workServed = new AtomicInteger();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);
  volatile Mode work = Mode.OK;
  volatile Mode health = Mode.OK;

  InfNode(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/work", exchange -> answer(exchange, work, true));
    server.createContext("/health", exchange -> answer(exchange, health, false));
    server.setExecutor(executor);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange, Mode mode, boolean isWork) throws IOException {
    try (exchange) {
      if (mode == Mode.HANG) {
        release.await(30, TimeUnit.SECONDS);
        return;
      }
      int status = mode == Mode.OK ? 200 : 500;
      if (isWork && status == 200) {
        workServed.incrementAndGet();
      }
      byte[] body = (name + " " + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
