package io.chatleads.ops;

import io.chatleads.app.Chatleads;
import io.chatleads.support.Fixture;
import io.chatleads.support.JarProcess;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM on the real jar: a request in flight finishes, new connections are refused, the pool
 * closes and the process exits 0. The request is made slow without any test-only code in the server:
 * the test holds a PostgreSQL lock that the request's key lookup must wait for, and sees it waiting
 * in pg_stat_activity before it sends the signal.
 */
class GracefulShutdownIT {

    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void aRequestInFlightFinishesAndTheProcessExitsZero() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            Fixture fixture;
            try (Chatleads app = database.open()) {
                fixture = Fixture.create(app, 5);
            }
            try (JarProcess server = JarProcess.start(database.env(), "serve", "--port", "0");
                 Connection lock = DriverManager.getConnection(database.env().get("CHATLEADS_DB_URL"))) {
                int port = server.awaitListening(START);
                HttpClient client = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id()))
                        .header("Authorization", "Bearer " + fixture.key()).timeout(Duration.ofSeconds(60)).build();
                assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(), "warm");

                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    statement.execute("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE");
                }
                CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
                awaitWaitingOnLock(database.env().get("CHATLEADS_DB_URL"), Duration.ofSeconds(30));

                server.terminate();
                server.awaitStderr("stopping", Duration.ofSeconds(30));
                // drained: the port no longer accepts new connections, while the request still waits
                awaitRefused(port, Duration.ofSeconds(10));
                assertFalse(inFlight.isDone(), "the request is still in flight");
                assertTrue(server.isAlive(), "the process waits for it");

                lock.commit();
                HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(response.body().startsWith("{\"data\":["), response.body());
                assertEquals(0, server.waitFor(Duration.ofSeconds(30)), server.stderr());
                assertTrue(server.stderr().contains("stopped"), server.stderr());
            }
        }
    }

    @Test
    void aRequestThatOutlastsTheShutdownTimeoutDoesNotHoldTheProcess() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            Fixture fixture;
            try (Chatleads app = database.open()) {
                fixture = Fixture.create(app, 1);
            }
            Map<String, String> env = database.env();
            env.put("CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS", "1");
            try (JarProcess server = JarProcess.start(env, "serve", "--port", "0");
                 Connection lock = DriverManager.getConnection(env.get("CHATLEADS_DB_URL"))) {
                int port = server.awaitListening(START);
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    statement.execute("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE");
                }
                HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                        + "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id()))
                                .header("Authorization", "Bearer " + fixture.key()).build(),
                        HttpResponse.BodyHandlers.ofString());
                awaitWaitingOnLock(database.env().get("CHATLEADS_DB_URL"), Duration.ofSeconds(30));
                server.terminate();
                // the lock is never released: only the timeout can end the wait
                server.waitFor(Duration.ofSeconds(60));
                assertFalse(server.isAlive());
                lock.rollback();
            }
        }
    }

    /** Polls from a connection of its own: within a transaction PostgreSQL keeps showing one snapshot of the stats. */
    private static void awaitWaitingOnLock(String url, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            try (Connection observer = DriverManager.getConnection(url);
                 Statement statement = observer.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                         + " AND wait_event_type = 'Lock' AND query ILIKE '%FROM leads%' AND pid <> pg_backend_pid()")) {
                rows.next();
                if (rows.getInt(1) > 0) {
                    return;
                }
            }
            JarProcess.sleep(100);
        }
        throw new AssertionError("no request waited on the lock within " + deadline);
    }

    private static void awaitRefused(int port, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                JarProcess.sleep(100);
            } catch (ConnectException refused) {
                return;
            } catch (java.io.IOException other) {
                return;
            }
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "still accepting after " + deadline);
    }
}
