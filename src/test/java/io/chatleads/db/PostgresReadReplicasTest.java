package io.chatleads.db;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatleads.Settings;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.Poll;
import io.chatleads.support.CapturedLogs;
import io.chatleads.support.ConsoleClient;
import io.chatleads.support.OpenApiContract;
import io.chatleads.support.OwnPostgres;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, point 3: reads from a real streaming replica. The test makes a PostgreSQL primary of its
 * own and a hot standby of it ({@code pg_basebackup -R}, {@link OwnPostgres#startReplica}), never
 * touching the machine's shared server, and two servers on them: {@code routed}, whose bound
 * (an hour) keeps every stale read on the replica while it answers, and {@code strict}, whose bound
 * is one second. Which server answered a read is shown by pausing the replica's replay: a read the
 * replica answers then lacks a lead just written, one the primary answers has it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresReadReplicasTest {

    private static final String PASSWORD = "a console password long enough";
    // Every /health/ready answer seen here, replicas up, lagging and down, is checked against openapi.json.
    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    private OwnPostgres primary;
    private OwnPostgres replica;
    private TestDatabase database;
    private String replicaUrl;
    private String replicaName;
    private TestServer routed;
    private TestServer strict;
    private Owner owner;
    private Chatbot chatbot;
    private String secret;

    @BeforeAll
    void start() {
        primary = OwnPostgres.start(Map.of());
        try {
            replica = primary.startReplica();
            database = TestDatabase.postgresOn(primary.adminUrl());
            String primaryUrl = database.env().get("CHATLEADS_DB_URL");
            replicaUrl = primaryUrl.replace("127.0.0.1:" + primary.port() + "/", "127.0.0.1:" + replica.port() + "/");
            replicaName = "127.0.0.1:" + replica.port() + "/" + primaryUrl.substring(primaryUrl.lastIndexOf('/') + 1, primaryUrl.indexOf('?'));
            routed = TestServer.start(database, Map.of("CHATLEADS_DB_READ_URL", replicaUrl,
                    "CHATLEADS_DB_READ_MAX_LAG_SECONDS", "3600", "CHATLEADS_DB_READ_CHECK_MS", "200", "CHATLEADS_CACHE_TTL_MS", "0"));
            strict = TestServer.start(database, Map.of("CHATLEADS_DB_READ_URL", replicaUrl,
                    "CHATLEADS_DB_READ_MAX_LAG_SECONDS", "1", "CHATLEADS_DB_READ_CHECK_MS", "200", "CHATLEADS_CACHE_TTL_MS", "0"));
            owner = routed.app().owners().create("replicas-" + UUID.randomUUID() + "@example.com");
            routed.app().accounts().setPassword(owner.id(), PASSWORD);
            chatbot = routed.app().chatbots().create(owner.id(), "bot");
            secret = routed.app().apiKeys().create(owner.id(), "k").secret();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closing : new AutoCloseable[] {strict, routed, database, replica, primary}) {
            if (closing != null) {
                try {
                    closing.close();
                } catch (Exception e) {
                    System.err.println("closing " + closing + ": " + e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void aLeadWrittenIsReadThroughTheReplicaOnceItIsReplayed() {
        waitForState(routed, "up");
        double toPrimary = routedReads(routed, "primary");
        double toReplica = routedReads(routed, replicaName);
        long id = capture(routed, "first@example.com");

        Poll.until(Duration.ofSeconds(60), "the lead read through the replica", () -> page(routed).contains(id));
        assertTrue(csvIds(routed).contains(id), "the CSV export reads the replica, which has it");
        assertEquals(toPrimary, routedReads(routed, "primary"), "every page went to the replica while it was up");
        assertTrue(routedReads(routed, replicaName) > toReplica, "the pages were counted as the replica's");

        JsonNode shown = replicaHealth(routed);
        assertEquals(replicaName, shown.path("name").asText(), "named by host, port and database, never by URL");
        assertEquals("up", shown.path("state").asText());
        assertTrue(shown.path("lagSeconds").isNumber(), shown.toString());
        assertFalse(shown.has("reason"), shown.toString());
        String metrics = routed.get("/metrics", null).body();
        assertEquals(1.0, metric(metrics, "chatleads_db_replica_up{replica=\"" + replicaName + "\"}"));
        assertTrue(metric(metrics, "chatleads_db_replica_lag_seconds{replica=\"" + replicaName + "\"}") >= 0);
    }

    @Test
    @Order(2)
    void withReplayPausedTheReplicaAnswersWithoutANewLeadUntilItLagsPastTheBoundThenThePrimaryAnswers() {
        waitForState(routed, "up");
        waitForState(strict, "up");
        long statsBefore = leadsOnPrimary();
        Poll.until(Duration.ofSeconds(60), "the replica caught up before its replay is paused",
                () -> statsTotal(routed) == statsBefore);
        replica.execute("SELECT pg_wal_replay_pause()");
        try {
            String email = "paused-" + UUID.randomUUID() + "@example.com";
            long id = capture(routed, email);

            // routed: the replica still counts as up (an hour's bound), and every stale read misses the lead.
            assertFalse(page(routed).contains(id), "a page from the paused replica lacks the lead");
            assertFalse(csvIds(routed).contains(id), "an export from the paused replica lacks the lead");
            assertEquals(statsBefore, statsTotal(routed), "lead-stats from the paused replica does not count the lead");
            ConsoleClient console = new ConsoleClient(routed);
            assertEquals(303, console.signIn(owner.email(), PASSWORD).statusCode(), "the session just made is read on the primary");
            HttpResponse<String> leadsPage = console.get("/console/chatbots/" + chatbot.id() + "/leads");
            assertEquals(200, leadsPage.statusCode(), leadsPage.body());
            assertFalse(leadsPage.body().contains(email), "the console's leads table reads the paused replica");

            // strict: the lag passes its one second, the replica is skipped, and the primary answers.
            JsonNode skipped = waitForState(strict, "lagging");
            assertTrue(skipped.path("reason").asText().contains("CHATLEADS_DB_READ_MAX_LAG_SECONDS"), skipped.toString());
            Poll.until(Duration.ofSeconds(60), "the lag over the bound in /metrics", () -> lagging(strict));
            assertTrue(page(strict).contains(id), "the primary answers the page");
            assertTrue(csvIds(strict).contains(id), "the primary answers the export");
            assertEquals(statsBefore + 1, statsTotal(strict), "the primary answers lead-stats");
            assertEquals(200, strict.get("/health/ready", null).statusCode(), "a lagging replica leaves the server ready");

            writesAndReadsOfWhatWasJustWrittenUseThePrimary();
        } finally {
            replica.execute("SELECT pg_wal_replay_resume()");
        }
        waitForState(strict, "up");
    }

    /** On routed, whose stale reads go to the paused replica: none of these may. */
    private void writesAndReadsOfWhatWasJustWrittenUseThePrimary() {
        // A key just created works at once.
        HttpResponse<String> created = routed.send(routed.request("/api/v1/api-keys").header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"fresh\"}")).build());
        assertEquals(201, created.statusCode(), created.body());
        String fresh = ServerTestBase.responseJson(created).path("secret").asText();
        assertEquals(200, routed.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), fresh).statusCode(), "the new key authenticates");

        // A chatbot just created is found at once (its owner is read on the primary).
        HttpResponse<String> bot = routed.send(routed.request("/api/v1/create-chatbot").header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"chatbotName\":\"new\"}")).build());
        assertEquals(200, bot.statusCode(), bot.body());
        String botId = ServerTestBase.responseJson(bot).path("chatbotId").asText();
        assertEquals(200, routed.get("/api/v1/get-leads?chatbotId=" + botId, secret).statusCode());

        // An Idempotency-Key's retry finds the lead its first try stored.
        String key = "replica-" + UUID.randomUUID();
        HttpResponse<String> first = captureWithKey(key);
        HttpResponse<String> again = captureWithKey(key);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(ServerTestBase.responseJson(first).path("id"), ServerTestBase.responseJson(again).path("id"));
    }

    @Test
    @Order(3)
    void aReplicaStoppedUnderAStreamOfReadsFailsNoRequestThenServesAgainOnceBack() throws Exception {
        waitForState(routed, "up");
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
        AtomicBoolean stopLoad = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(3);
        List<Future<?>> workers = new ArrayList<>();
        Map<String, Supplier<HttpResponse<String>>> requests = Map.of(
                "page", () -> routed.get("/api/v1/get-leads?chatbotId=" + chatbot.id() + "&size=5", secret),
                "export", () -> routed.send(routed.request("/api/v1/get-leads?chatbotId=" + chatbot.id())
                        .header("Authorization", "Bearer " + secret).header("Accept", "text/csv").GET().build()),
                "stats", () -> routed.get("/api/v1/chatbots/" + chatbot.id() + "/lead-stats", secret));
        requests.forEach((name, request) -> workers.add(load.submit(() -> {
            for (int i = 0; i < 100_000 && !stopLoad.get(); i++) {
                HttpResponse<String> answer = request.get();
                statuses.computeIfAbsent(answer.statusCode(), status -> new AtomicInteger()).incrementAndGet();
                answered.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                if (answer.statusCode() != 200) {
                    synchronized (failures) {
                        failures.add(name + " " + answer.statusCode() + " " + answer.body());
                    }
                }
            }
        })));
        double fallbacksBefore;
        try {
            Poll.until(Duration.ofSeconds(60), "reads flowing to the replica",
                    () -> requests.keySet().stream().allMatch(name -> count(answered, name) >= 20));
            fallbacksBefore = metric(routed.get("/metrics", null).body(), "chatleads_db_replica_fallbacks_total{replica=\"" + replicaName + "\"}");
            replica.stop();
            Map<String, Integer> atStop = new TreeMap<>();
            requests.keySet().forEach(name -> atStop.put(name, count(answered, name)));
            JsonNode down = waitForState(routed, "down");
            assertNotNull(down.path("reason").asText(null), down.toString());
            Poll.until(Duration.ofSeconds(60), "reads answered by the primary after the stop",
                    () -> requests.keySet().stream().allMatch(name -> count(answered, name) >= atStop.get(name) + 20));
        } finally {
            stopLoad.set(true);
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
            load.shutdownNow();
        }
        assertEquals(List.of(), failures, "no read failed while the replica stopped");
        assertEquals(Set.of(200), statuses.keySet());
        assertEquals(200, routed.get("/health/ready", null).statusCode(), "a replica down leaves the server ready");
        String metrics = routed.get("/metrics", null).body();
        assertEquals(0.0, metric(metrics, "chatleads_db_replica_up{replica=\"" + replicaName + "\"}"));
        // A figure for the report, not a check.
        System.out.printf("replica stopped under load: %s answers; reads the replica failed and the primary answered: %.0f%n",
                statuses, metric(metrics, "chatleads_db_replica_fallbacks_total{replica=\"" + replicaName + "\"}") - fallbacksBefore);

        replica.startAgain();
        waitForState(routed, "up");
        double toReplica = routedReads(routed, replicaName);
        assertEquals(200, routed.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), secret).statusCode());
        assertTrue(routedReads(routed, replicaName) > toReplica, "reads go to the replica again once it is back");
    }

    @Test
    void aReplicaThatIsNotThereIsDownAndItsPasswordShownNowhere() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String password = "replica-secret-" + UUID.randomUUID();
        try (CapturedLogs logs = new CapturedLogs();
             TestServer server = TestServer.start(database, Map.of("CHATLEADS_DB_READ_URL",
                     "jdbc:postgresql://127.0.0.1:" + closedPort + "/leads?user=postgres&password=" + password,
                     "CHATLEADS_DB_READ_CHECK_MS", "200"))) {
            JsonNode down = waitForState(server, "down");
            assertEquals("127.0.0.1:" + closedPort + "/leads", down.path("name").asText());
            assertTrue(down.path("reason").asText().startsWith("does not answer"), down.toString());
            HttpResponse<String> page = server.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), secret);
            assertEquals(200, page.statusCode(), "the primary serves the pages: " + page.body());
            String ready = server.get("/health/ready", null).body();
            String metrics = server.get("/metrics", null).body();
            assertEquals(0.0, metric(metrics, "chatleads_db_replica_up{replica=\"127.0.0.1:" + closedPort + "/leads\"}"));
            for (String shown : List.of(ready, metrics, String.join("\n", logs.rendered()))) {
                assertFalse(shown.contains(password), shown);
            }
            assertTrue(logs.rendered().stream().anyMatch(line -> line.contains("read replica 127.0.0.1:" + closedPort + "/leads does not answer")),
                    "the state change is logged once, by name");
        }
    }

    @Test
    void anSqliteDatabaseRefusesReadReplicas() {
        Settings settings = Settings.from(Map.of("CHATLEADS_DB_URL", "jdbc:sqlite:/tmp/x.db",
                "CHATLEADS_DB_READ_URL", "jdbc:postgresql://127.0.0.1:5433/leads?password=hunter2,"
                        + "jdbc:postgresql://127.0.0.1:5434/leads?user=app&password=swordfish"));
        Settings.SettingsException refused = assertThrows(Settings.SettingsException.class, () -> io.chatleads.app.Startup.validate(settings));
        assertTrue(refused.getMessage().startsWith("CHATLEADS_DB_READ_URL names PostgreSQL read replicas, but CHATLEADS_DB_URL is SQLite"),
                refused.getMessage());
        assertEquals("jdbc:postgresql://127.0.0.1:5433/leads?password=****,jdbc:postgresql://127.0.0.1:5434/leads?user=app&password=****",
                settings.describe().get("CHATLEADS_DB_READ_URL"), "config masks every replica's password");
    }

    // ---- helpers ----

    private long capture(TestServer server, String email) {
        HttpResponse<String> answer = server.send(server.request("/api/v1/chatbots/" + chatbot.id() + "/leads")
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")).build());
        assertEquals(201, answer.statusCode(), answer.body());
        return ServerTestBase.responseJson(answer).path("id").asLong();
    }

    private HttpResponse<String> captureWithKey(String key) {
        return routed.send(routed.request("/api/v1/chatbots/" + chatbot.id() + "/leads")
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"keyed@example.com\"}")).build());
    }

    /** The ids of get-leads' first page (of 1000). */
    private List<Long> page(TestServer server) {
        HttpResponse<String> answer = server.get("/api/v1/get-leads?chatbotId=" + chatbot.id() + "&size=1000", secret);
        assertEquals(200, answer.statusCode(), answer.body());
        List<Long> ids = new ArrayList<>();
        ServerTestBase.responseJson(answer).path("data").forEach(lead -> ids.add(lead.path("id").asLong()));
        return ids;
    }

    private List<Long> csvIds(TestServer server) {
        HttpResponse<String> answer = server.send(server.request("/api/v1/get-leads?chatbotId=" + chatbot.id())
                .header("Authorization", "Bearer " + secret).header("Accept", "text/csv").GET().build());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body().lines().skip(1).map(line -> Long.parseLong(line.substring(0, line.indexOf(',')))).toList();
    }

    private long statsTotal(TestServer server) {
        HttpResponse<String> answer = server.get("/api/v1/chatbots/" + chatbot.id() + "/lead-stats", secret);
        assertEquals(200, answer.statusCode(), answer.body());
        return ServerTestBase.responseJson(answer).path("total").asLong();
    }

    private long leadsOnPrimary() {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database.env().get("CHATLEADS_DB_URL"));
             java.sql.PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM leads WHERE chatbot_id = ?")) {
            count.setString(1, chatbot.id());
            try (java.sql.ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode replicaHealth(TestServer server) {
        HttpResponse<String> ready = server.get("/health/ready", null);
        CONTRACT.check("GET", ready);
        JsonNode replicas = ServerTestBase.responseJson(ready).path("replicas");
        assertEquals(1, replicas.size(), ready.body());
        return replicas.get(0);
    }

    private JsonNode waitForState(TestServer server, String state) {
        JsonNode[] last = new JsonNode[1];
        Poll.until(Duration.ofSeconds(60), "replica " + state + " in /health/ready",
                () -> state.equals((last[0] = replicaHealth(server)).path("state").asText()));
        return last[0];
    }

    private boolean lagging(TestServer server) {
        String metrics = server.get("/metrics", null).body();
        return metric(metrics, "chatleads_db_replica_up{replica=\"" + replicaName + "\"}") == 0.0
                && metric(metrics, "chatleads_db_replica_lag_seconds{replica=\"" + replicaName + "\"}") > 1.0;
    }

    private double routedReads(TestServer server, String to) {
        return metric(server.get("/metrics", null).body(), "chatleads_db_stale_reads_total{to=\"" + to + "\"}");
    }

    private static double metric(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + series + " in /metrics:\n"
                        + metrics.lines().filter(line -> line.startsWith("chatleads_db")).toList()));
    }

    private static int count(Map<String, AtomicInteger> counts, String name) {
        AtomicInteger counted = counts.get(name);
        return counted == null ? 0 : counted.get();
    }

}
