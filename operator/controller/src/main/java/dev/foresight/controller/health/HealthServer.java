package dev.foresight.controller.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's one HTTP port: {@code /metrics} (Prometheus text format), {@code /healthz}
 * (liveness: the process answers) and {@code /readyz} (readiness: the operator started and every
 * informer is healthy). It starts before the operator so that liveness holds while caches sync.
 */
public final class HealthServer implements AutoCloseable {

  /** Whether the operator is ready, and if not, why (shown in the 503 body). */
  public record Readiness(boolean ready, String detail) {}

  private final HttpServer server;
  private final ExecutorService executor;

  public HealthServer(int port, PrometheusRegistry registry, Supplier<Readiness> readiness) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "foresight-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
    server.createContext("/readyz", exchange -> {
      Readiness r = readiness.get();
      respond(exchange, r.ready() ? 200 : 503, r.detail() + "\n");
    });
  }

  public void start() {
    server.start();
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
