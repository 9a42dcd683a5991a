package io.chatleads.db;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.support.Poll;
import io.chatleads.support.OwnPostgres;
import io.chatleads.support.ServerOnOwnPostgres;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20, point 4: with the test's own PostgreSQL stopped under a running server, captures on the
 * event loops, captures with an {@code Idempotency-Key} (which take the JDBC pool) and get-leads
 * pages answer 503 with {@code Retry-After} and the documented message, then 201 and 200 again once
 * it is back, with no acknowledged lead lost; {@code /metrics} counted every 503 apart from 500s.
 * Never the machine's shared PostgreSQL: a cluster of the test's own is stopped and started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresDatabaseOutageTest {

    private static final String UNAVAILABLE = "{\"message\":\"the database is unavailable; retry in 2 s\"}";

    private ServerOnOwnPostgres own;
    private OwnPostgres cluster;
    private TestServer server;
    private Chatbot chatbot;
    private String secret;

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final List<String> wrongAnswers = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> keysAnswered503 = new ConcurrentLinkedQueue<>();
    private final AtomicLong slowest503Nanos = new AtomicLong();

    @BeforeAll
    void start() {
        own = ServerOnOwnPostgres.start(Map.of());
        cluster = own.cluster();
        server = own.server();
        chatbot = own.chatbot();
        secret = own.secret();
    }

    @AfterAll
    void stop() {
        if (own != null) {
            own.close();
        }
    }

    @Test
    void whileItsDatabaseIsStoppedTheServerAnswers503ThenServesAgainAndLosesNothing() throws Exception {
        assertEquals(201, record(this::captureOnLoop).statusCode());
        assertEquals(201, record(this::captureWithKey).statusCode());
        assertEquals(200, record(this::page).statusCode());

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(3);
        List<Future<?>> workers = new ArrayList<>();
        for (Supplier<HttpResponse<String>> request : List.<Supplier<HttpResponse<String>>>of(this::captureOnLoop, this::captureWithKey, this::page)) {
            workers.add(load.submit(() -> {
                // Bounded: stops when told, or after this many requests.
                for (int i = 0; i < 50_000 && !stop.get(); i++) {
                    record(request);
                }
            }));
        }
        try {
            Poll.untilAnswered(Duration.ofSeconds(60), "captures flowing before the stop", () -> acknowledged.size() >= 50);
            cluster.stopFast();
            // Each path, asked while the database is down, answers the documented 503.
            for (Supplier<HttpResponse<String>> request : List.<Supplier<HttpResponse<String>>>of(this::captureOnLoop, this::captureWithKey, this::page)) {
                HttpResponse<String> answer = record(request);
                assertEquals(503, answer.statusCode(), answer.uri() + ": " + answer.body());
            }
            Poll.untilAnswered(Duration.ofSeconds(60), "the load's requests answered 503 while the database is down",
                    () -> count(503) >= 30);
            cluster.startAgain();
            int acknowledgedBefore = acknowledged.size();
            Poll.untilAnswered(Duration.ofSeconds(60), "captures acknowledged again once it is back",
                    () -> acknowledged.size() >= acknowledgedBefore + 50);
            Poll.untilAnswered(Duration.ofSeconds(60), "get-leads pages again once it is back",
                    () -> record(this::page).statusCode() == 200);
        } finally {
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
            load.shutdownNow();
        }
        assertEquals(201, record(this::captureOnLoop).statusCode());
        assertEquals(201, record(this::captureWithKey).statusCode());

        // A client that retries with its Idempotency-Key gets its lead: 201 if the 503 stored nothing,
        // 200 with the stored one if its commit got through after all.
        int retried = 0;
        for (String key : keysAnswered503) {
            if (retried++ == 50) {
                break;
            }
            HttpResponse<String> again = record(() -> captureWithKey(key));
            assertTrue(again.statusCode() == 201 || again.statusCode() == 200, key + ": " + again.statusCode() + " " + again.body());
        }

        assertEquals(List.of(), wrongAnswers, "every 503 has Retry-After: 2 and the documented body");
        assertEquals(Set.of(200, 201, 503), new TreeMap<>(statuses).keySet(), "nothing but 200, 201 and 503: " + statuses);
        List<String> stored = server.app().leads()
                .rangeAfter(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 1_000_000)
                .stream().map(lead -> Long.toString(lead.id())).toList();
        assertTrue(stored.containsAll(acknowledged), "every acknowledged lead is stored");
        assertEquals(count(503), unavailableCounted(), "/metrics counted every 503 this test was answered");
        // A figure for the report, not a check: tests assert no timings.
        System.out.printf("outage: %s answers, %d acknowledged leads, slowest 503 %.2f s%n",
                statuses, acknowledged.size(), slowest503Nanos.get() / 1e9);
    }

    private HttpResponse<String> record(Supplier<HttpResponse<String>> request) {
        long started = System.nanoTime();
        HttpResponse<String> answer = request.get();
        long took = System.nanoTime() - started;
        statuses.computeIfAbsent(answer.statusCode(), status -> new AtomicInteger()).incrementAndGet();
        if (answer.statusCode() == 201 && answer.uri().getPath().endsWith("/leads")) {
            acknowledged.add(ServerTestBase.responseJson(answer).path("id").asText());
        } else if (answer.statusCode() == 200 && answer.uri().getPath().endsWith("/leads")) {
            acknowledged.add(ServerTestBase.responseJson(answer).path("id").asText()); // a replayed Idempotency-Key
        } else if (answer.statusCode() == 503) {
            slowest503Nanos.accumulateAndGet(took, Math::max);
            if (!answer.headers().firstValue("Retry-After").orElse("").equals("2") || !answer.body().equals(UNAVAILABLE)) {
                synchronized (wrongAnswers) {
                    wrongAnswers.add(answer.uri() + " " + answer.headers().map() + " " + answer.body());
                }
            }
            answer.request().headers().firstValue("Idempotency-Key").ifPresent(keysAnswered503::add);
        }
        return answer;
    }

    private int count(int status) {
        AtomicInteger counted = statuses.get(status);
        return counted == null ? 0 : counted.get();
    }

    /** On the event loops: a keyed capture without an Idempotency-Key. */
    private HttpResponse<String> captureOnLoop() {
        return server.send(capture().POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"loop@example.com\"}")).build());
    }

    /** On the JDBC pool: a capture with an Idempotency-Key. */
    private HttpResponse<String> captureWithKey() {
        return captureWithKey("outage-" + UUID.randomUUID());
    }

    private HttpResponse<String> captureWithKey(String key) {
        return server.send(capture().header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"keyed@example.com\"}")).build());
    }

    private HttpRequest.Builder capture() {
        return server.request("/api/v1/chatbots/" + chatbot.id() + "/leads")
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json");
    }

    private HttpResponse<String> page() {
        return server.get("/api/v1/get-leads?chatbotId=" + chatbot.id() + "&size=5", secret);
    }

    private double unavailableCounted() {
        String metrics = server.get("/metrics", null).body();
        return metrics.lines().filter(line -> line.startsWith("chatleads_database_unavailable_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no chatleads_database_unavailable_total in /metrics"));
    }

}
