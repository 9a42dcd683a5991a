package io.chatleads.http;

import io.chatleads.support.CapturedLogs;
import io.chatleads.support.Fixture;
import io.chatleads.support.JarProcess;
import io.chatleads.support.TcpForwarder;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: one rate limit across servers. Two real servers on one PostgreSQL and the machine's
 * real Redis (127.0.0.1:6379) share the per-key and the widget limit (docs/capture.md "Rate
 * limits"); without Redis each falls back to its own count. Each run keeps its buckets under a
 * key prefix of its own, so parallel runs never meet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSharedRateLimitTest {

    private static final String REDIS_URL = "redis://127.0.0.1:6379";
    private static final int LIMIT = 100;
    private static final int WINDOW_SECONDS = 10;
    private static final int REQUESTS = 300;
    // CHATLEADS_REDIS_LEASE_PERCENT's default, 10 %, of 100.
    private static final int LEASE = 10;
    private static final int SERVERS = 2;

    private TestDatabase database;

    @BeforeAll
    void createDatabase() {
        database = TestDatabase.postgres();
    }

    @AfterAll
    void dropDatabase() {
        database.close();
    }

    private Map<String, String> limits(String redisUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("CHATLEADS_REDIS_URL", redisUrl);
        env.put("CHATLEADS_REDIS_KEY_PREFIX", "chatleads:test:" + UUID.randomUUID() + ":");
        env.put("CHATLEADS_API_RATE_LIMIT", Integer.toString(LIMIT));
        env.put("CHATLEADS_API_RATE_WINDOW_SECONDS", Integer.toString(WINDOW_SECONDS));
        env.put("CHATLEADS_WIDGET_RATE_LIMIT", Integer.toString(LIMIT));
        env.put("CHATLEADS_WIDGET_RATE_WINDOW_SECONDS", Integer.toString(WINDOW_SECONDS));
        return env;
    }

    @Test
    void oneKeySpreadOverTwoServersGetsTheLimitOnce() {
        Map<String, String> env = limits(REDIS_URL);
        try (TestServer a = TestServer.start(database, env); TestServer b = TestServer.start(database, env)) {
            Fixture fixture = Fixture.create(a.app(), 3);
            String url = "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id();
            spreadOver(List.of(a, b), 200, server -> server.request(url)
                    .header("Authorization", "Bearer " + fixture.key()).GET().build());
            assertEquals(0, localDecisions(a, "api") + localDecisions(b, "api"), "Redis answered every lease");
            assertTrue(a.get("/metrics", null).body().contains("chatleads_rate_limit_shared_available 1.0"));
        }
    }

    @Test
    void oneWidgetClientSpreadOverTwoServersGetsTheLimitOnce() {
        Map<String, String> env = limits(REDIS_URL);
        try (TestServer a = TestServer.start(database, env); TestServer b = TestServer.start(database, env)) {
            Fixture fixture = Fixture.create(a.app(), 0);
            String path = "/api/v1/chatbots/" + fixture.chatbot().id() + "/leads";
            int stored = spreadOver(List.of(a, b), 201, server -> server.request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"visitor@example.com\"}")).build());
            assertEquals(stored, a.app().leads().rangeAfter(fixture.chatbot().id(), fixture.owner().id(),
                    Long.MIN_VALUE, Long.MAX_VALUE, null, 100_000).size(), "a refused submission stores nothing");
            assertEquals(0, localDecisions(a, "widget") + localDecisions(b, "widget"), "Redis answered every lease");
        }
    }

    @Test
    void withoutRedisEachServerKeepsItsOwnLimitAndSaysSoOnce() {
        Map<String, String> env = limits("redis://127.0.0.1:" + closedPort());
        env.put("CHATLEADS_API_RATE_LIMIT", "5");
        env.put("CHATLEADS_API_RATE_WINDOW_SECONDS", "3600");
        try (CapturedLogs logs = new CapturedLogs();
             TestServer a = TestServer.start(database, env); TestServer b = TestServer.start(database, env)) {
            Fixture fixture = Fixture.create(a.app(), 3);
            String url = "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id();
            for (TestServer server : List.of(a, b)) {
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> ok = server.get(url, fixture.key());
                    assertEquals(200, ok.statusCode(), ok.body());
                    assertEquals("5", ok.headers().firstValue("X-RateLimit-Limit").orElseThrow());
                    assertEquals(Integer.toString(4 - i), ok.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
                }
                HttpResponse<String> refused = server.get(url, fixture.key());
                assertEquals(429, refused.statusCode(), "each server's own limit still holds: " + refused.body());
                assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                assertEquals(6, localDecisions(server, "api"), "every decision was this server's alone");
                assertTrue(server.get("/metrics", null).body().contains("chatleads_rate_limit_shared_available 0.0"));
            }
            long warnings = logs.rendered().stream().filter(line -> line.startsWith("WARN")
                    && line.contains("does not answer") && line.contains("own rate limits")).count();
            // Once per server (each started without Redis and retries every second), never per request.
            assertEquals(SERVERS, warnings, String.join("\n", logs.rendered()));
        }
    }

    @Test
    void redisGoingAwayFallsBackToTheServersOwnLimitAndComingBackSharesAgain() {
        Map<String, String> env = limits(REDIS_URL);
        env.put("CHATLEADS_API_RATE_LIMIT", "5");
        env.put("CHATLEADS_API_RATE_WINDOW_SECONDS", "3600");
        try (TcpForwarder redis = new TcpForwarder(6379); CapturedLogs logs = new CapturedLogs()) {
            env.put("CHATLEADS_REDIS_URL", "redis://127.0.0.1:" + redis.port());
            try (TestServer server = TestServer.start(database, env)) {
                Fixture fixture = Fixture.create(server.app(), 3);
                String url = "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id();
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, server.get(url, fixture.key()).statusCode());
                }
                assertEquals(0, localDecisions(server, "api"));

                redis.cut();
                // Every request is answered; once the failure is seen, by this server's own count (5 from nothing).
                int ok = 0;
                for (int i = 0; i < 7; i++) {
                    int status = server.get(url, fixture.key()).statusCode();
                    assertTrue(status == 200 || status == 429, "status " + status);
                    ok += status == 200 ? 1 : 0;
                }
                assertTrue(ok >= 5 && ok <= 6, ok + " of 7 got through on this server's own limit of 5");
                assertTrue(localDecisions(server, "api") >= 6);
                assertTrue(server.get("/metrics", null).body().contains("chatleads_rate_limit_shared_available 0.0"));

                redis.restore();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!server.get("/metrics", null).body().contains("chatleads_rate_limit_shared_available 1.0")) {
                    assertTrue(System.nanoTime() < deadline, "Redis back, but the limits are not shared again");
                    // Requests are what probe Redis while it is unavailable.
                    server.get(url, fixture.key());
                    JarProcess.sleep(100);
                }
                // Shared again: the bucket still has the 5 less the 3 taken before (and at most one this
                // server leased ahead, or one the last probing request took), whatever this server counted alone.
                long localBefore = localDecisions(server, "api");
                int sharedOk = 0;
                for (int i = 0; i < 3; i++) {
                    sharedOk += server.get(url, fixture.key()).statusCode() == 200 ? 1 : 0;
                }
                assertTrue(sharedOk >= 1 && sharedOk <= 2, sharedOk + " got through on what the shared bucket had left");
                HttpResponse<String> refused = server.get(url, fixture.key());
                assertEquals(429, refused.statusCode(), "the shared bucket is empty for the rest of its hour");
                assertEquals(localBefore, localDecisions(server, "api"), "decided through Redis again");
            }
            List<String> lines = logs.rendered();
            assertEquals(1, lines.stream().filter(line -> line.contains("does not answer")).count(), String.join("\n", lines));
            assertEquals(1, lines.stream().filter(line -> line.contains("answers again")).count(), String.join("\n", lines));
        }
    }

    /**
     * Sends {@link #REQUESTS} requests, one at a time, alternately to each server; checks that at
     * most the limit plus the documented slack (none above the limit) got {@code okStatus} in each
     * window the run touched, at least the limit less 1.5 leases per other server in the first,
     * the rest 429, with truthful headers on every answer. Returns how many got {@code okStatus}.
     */
    private int spreadOver(List<TestServer> servers, int okStatus, Function<TestServer, HttpRequest> request) {
        long started = System.nanoTime();
        long firstWindowEnds = started + WINDOW_SECONDS * 1_000_000_000L;
        int ok = 0;
        int okInFirstWindow = 0;
        int[] okPerServer = new int[servers.size()];
        int mostRemainingOverTruth = Integer.MIN_VALUE;
        for (int i = 0; i < REQUESTS; i++) {
            int s = i % servers.size();
            HttpResponse<String> response = servers.get(s).send(request.apply(servers.get(s)));
            boolean inFirstWindow = System.nanoTime() < firstWindowEnds;
            assertEquals(Integer.toString(LIMIT), response.headers().firstValue("X-RateLimit-Limit").orElse(null),
                    "request " + i + ": " + response.body());
            long reset = Long.parseLong(response.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            assertTrue(reset >= 1 && reset <= WINDOW_SECONDS, "X-RateLimit-Reset " + reset);
            int remaining = Integer.parseInt(response.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            if (response.statusCode() == okStatus) {
                ok++;
                okPerServer[s]++;
                if (inFirstWindow) {
                    okInFirstWindow++;
                    // What is left is at most what the limit leaves after every success so far on
                    // both servers, plus what the other server leased since this one's last lease.
                    int truth = LIMIT - okInFirstWindow;
                    mostRemainingOverTruth = Math.max(mostRemainingOverTruth, remaining - truth);
                    assertTrue(remaining >= 0 && remaining <= truth + 2 * LEASE * (SERVERS - 1),
                            "request " + i + ": X-RateLimit-Remaining " + remaining + " after " + okInFirstWindow + " successes");
                }
            } else {
                assertEquals(429, response.statusCode(), response.body());
                assertEquals("0", response.headers().firstValue("X-RateLimit-Remaining").orElse(null));
                assertEquals(response.headers().firstValue("X-RateLimit-Reset"), response.headers().firstValue("Retry-After"));
            }
        }
        // A window that the run outlasted on a slow machine lets the next one's limit through too.
        long windows = 1 + (System.nanoTime() - started) / (WINDOW_SECONDS * 1_000_000_000L);
        System.out.printf("shared limit: %d of %d got %d (%d in the first window; per server %s) in %.1f s;"
                        + " X-RateLimit-Remaining at most %d over the truth%n", ok, REQUESTS, okStatus, okInFirstWindow,
                java.util.Arrays.toString(okPerServer), (System.nanoTime() - started) / 1e9, mostRemainingOverTruth);
        assertTrue(ok <= LIMIT * windows, ok + " of " + REQUESTS + " got " + okStatus + " in " + windows + " window(s)");
        assertTrue(okInFirstWindow <= LIMIT, okInFirstWindow + " got " + okStatus + " in the first window");
        assertTrue(okInFirstWindow >= Math.min(LIMIT - (SERVERS - 1) * LEASE * 3 / 2, REQUESTS),
                "only " + okInFirstWindow + " got " + okStatus + " in the first window");
        for (int s = 0; s < servers.size(); s++) {
            assertTrue(okPerServer[s] > 0, "server " + s + " let none through");
        }
        return ok;
    }

    /** chatleads_rate_limit_local_decisions_total{limit=…} on that server. */
    private static long localDecisions(TestServer server, String limit) {
        Matcher m = Pattern.compile("chatleads_rate_limit_local_decisions_total\\{limit=\"" + limit + "\"} ([0-9.eE+]+)")
                .matcher(server.get("/metrics", null).body());
        assertTrue(m.find(), "the local decisions counter is in /metrics");
        return (long) Double.parseDouble(m.group(1));
    }

    /** A loopback port nothing listens on: a Redis that is down. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
