package io.chatleads.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A website for browser tests: pages on a free loopback port of their own, so a page and the
 * chatleads server it talks to are different origins, as on a real site. Each page is a body
 * with its headers (a Content-Security-Policy, say); every request is recorded.
 */
public final class PageServer implements AutoCloseable {

    /** A page's answer. */
    public record Page(int status, String contentType, String body, Map<String, String> headers) {
        public static Page html(String body) {
            return new Page(200, "text/html; charset=utf-8", body, Map.of());
        }

        public Page withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Page(status, contentType, body, more);
        }
    }

    /** A request as it arrived: method, path with its query, and body. */
    public record Request(String method, String pathAndQuery, String body) {
    }

    private final HttpServer server;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();

    private PageServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::answer);
        server.start();
    }

    public static PageServer start() {
        return new PageServer();
    }

    /** Serves {@code page} at {@code path} (without the query), replacing what was there. */
    public PageServer put(String path, Page page) {
        pages.put(path, page);
        return this;
    }

    /** {@code http://127.0.0.1:PORT}: the Origin a browser sends from these pages. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String url(String path) {
        return origin() + path;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body));
            }
            Page page = pages.get(exchange.getRequestURI().getPath());
            if (page == null && exchange.getRequestURI().getPath().equals("/favicon.ico")) {
                // Browsers ask for it unbidden; a 404 would be an error line in the page's console.
                page = new Page(204, "image/x-icon", "", Map.of());
            }
            if (page == null) {
                page = new Page(404, "text/plain; charset=utf-8", "no page " + exchange.getRequestURI().getPath(), Map.of());
            }
            byte[] bytes = page.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            // Every test loads its page afresh.
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            page.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(page.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
