package io.chatleads.support;

import io.chatleads.app.Chatleads;
import io.chatleads.Settings;
import io.chatleads.app.Server;
import io.chatleads.http.Route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A real chatleads server on a free loopback port, and a JDK HttpClient to talk to it. */
public final class TestServer implements AutoCloseable {

    private final Chatleads app;
    private final Server server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Chatleads app, Server server) {
        this.app = app;
        this.server = server;
    }

    public static TestServer start(TestDatabase database) {
        return start(database, Map.of());
    }

    /** Starts on {@code database} with extra environment settings (for example a response envelope). */
    public static TestServer start(TestDatabase database, Map<String, String> extraEnv) {
        Map<String, String> env = database.env();
        // Rate limits off unless a test sets them: suites that page through many leads would trip them.
        env.put("CHATLEADS_API_RATE_LIMIT", "0");
        env.put("CHATLEADS_WIDGET_RATE_LIMIT", "0");
        env.putAll(extraEnv);
        env.put("PORT", "0");
        Settings settings = Settings.from(env);
        Chatleads app = Chatleads.open(settings);
        return new TestServer(app, Server.start(settings, app));
    }

    public Chatleads app() {
        return app;
    }

    public Server server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(client, request);
    }

    private static HttpResponse<String> send(HttpClient through, HttpRequest request) {
        try {
            return through.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends on a connection of its own, for a request the server may answer by closing the
     * connection (413 while the body is still arriving). Through the shared client that closed
     * connection could be handed to the next request, which would then fail with a reset instead.
     */
    public HttpResponse<String> sendAlone(HttpRequest request) {
        return send(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), request);
    }

    /**
     * A connection of the server's own JDBC pool, for a test that holds every one of them (a pool
     * timeout); asked for again while the server's jobs (the revoked-key poll, say) hold it.
     */
    public java.sql.Connection pooledConnection() throws java.sql.SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return app.database().dataSource().getConnection();
            } catch (java.sql.SQLTransientConnectionException busy) {
                if (attempt == 20) {
                    throw busy;
                }
            }
        }
    }

    public HttpResponse<String> get(String pathAndQuery, String bearerSecret) {
        HttpRequest.Builder builder = request(pathAndQuery).GET();
        if (bearerSecret != null) {
            builder.header("Authorization", "Bearer " + bearerSecret);
        }
        return send(builder.build());
    }

    /** The same client aimed at another port of this server (the management port). */
    public Client on(int otherPort) {
        return new Client(otherPort);
    }

    public final class Client {
        private final int port;

        private Client(int port) {
            this.port = port;
        }

        public HttpResponse<String> get(String pathAndQuery) {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).GET().build());
        }
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        server.close();
        app.close();
    }
}
