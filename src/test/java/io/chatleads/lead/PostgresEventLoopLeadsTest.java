package io.chatleads.lead;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.db.LoopConnections;
import io.chatleads.db.PostgresConnectOptions;
import io.chatleads.db.SqlErrors;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.webhook.Webhook;
import io.chatleads.webhook.WebhookEvents;
import io.chatleads.webhook.WebhookRepository;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EventLoopLeads} on a real PostgreSQL, against {@link LeadRepository} on the same database:
 * the same pages, the same stored lead and outbox rows, on the event loop that owns the connections.
 */
class PostgresEventLoopLeadsTest extends DatabaseTestBase {

    private static final int WRITE_CONNECTIONS = 2;

    private Vertx vertx;
    private Context loop;
    private Thread loopThread;
    private PgConnectOptions options;
    private LoopConnections connections;
    private EventLoopLeads leads;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }

    @BeforeAll
    void connectOnAnEventLoop() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        loop = vertx.getOrCreateContext();
        loopThread = onLoop(() -> Future.succeededFuture(Thread.currentThread()));
        options = PostgresConnectOptions.of(database.settings());
        connections = onLoop(() -> LoopConnections.open(vertx, options, WRITE_CONNECTIONS));
        leads = new EventLoopLeads(connections, app.eventLoopLeadListeners());
    }

    @AfterAll
    void closeVertx() throws Exception {
        if (connections != null) {
            onLoop(connections::close);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Runs {@code call} on the loop and waits for its future, checking that it completes on the loop's thread. */
    private <T> T onLoop(Supplier<Future<T>> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(ignored -> call.get().onComplete(done -> {
            if (loopThread != null && Thread.currentThread() != loopThread) {
                result.completeExceptionally(new AssertionError("completed on " + Thread.currentThread().getName()
                        + ", not on the owning loop " + loopThread.getName()));
            } else if (done.succeeded()) {
                result.complete(done.result());
            } else {
                result.completeExceptionally(done.cause());
            }
        }));
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private Chatbot newChatbot() {
        Owner owner = app.owners().create(UUID.randomUUID() + "@example.com");
        return app.chatbots().create(owner.id(), "bot");
    }

    private static NewLead newLead(Chatbot chatbot, String name, Instant createdAt) {
        return new NewLead(chatbot.id(), chatbot.ownerId(), name, name + "@example.com", "+14155550100", "conv-" + name,
                createdAt);
    }

    @Test
    void pagesAreExactlyTheJdbcRepositorysPages() throws Exception {
        Chatbot chatbot = newChatbot();
        Chatbot othersChatbot = newChatbot();
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        app.database().jdbi().useTransaction(handle -> {
            for (int i = 0; i < 240; i++) {
                // Every fourth lead shares its timestamp with the one before: the id breaks the tie.
                Instant createdAt = start.plusSeconds(3_600L * (i - i % 4 / 3));
                app.leads().insert(handle, newLead(chatbot, "l" + i, createdAt));
            }
            app.leads().insert(handle, newLead(othersChatbot, "theirs", start));
        });
        long from = start.plusSeconds(3_600L * 20).toEpochMilli();
        long to = start.plusSeconds(3_600L * 180).toEpochMilli();
        List<LeadPageQuery> queries = new ArrayList<>();
        for (int size : List.of(1, 7, 100)) {
            for (long[] range : List.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, new long[] {from, to},
                    new long[] {from, Long.MAX_VALUE})) {
                for (int page : List.of(1, 2, 3, 40)) {
                    queries.add(new LeadPageQuery(chatbot.id(), chatbot.ownerId(), range[0], range[1], page, size));
                }
                // Cursor pages: from a lead inside the range, and from one newer than its end,
                // which the tightened upper bound handles.
                for (Lead after : app.leads().pageWithLookahead(new LeadPageQuery(chatbot.id(), chatbot.ownerId(),
                        Long.MIN_VALUE, Long.MAX_VALUE, 1, 100))) {
                    if (after.id() % 17 == 0) {
                        queries.add(new LeadPageQuery(chatbot.id(), chatbot.ownerId(), range[0], range[1], 2, size,
                                LeadCursor.after(after)));
                    }
                }
            }
        }
        // Another owner's chatbot, and this chatbot asked for by another owner: both empty.
        queries.add(new LeadPageQuery(othersChatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, 1, 10));
        queries.add(new LeadPageQuery(chatbot.id(), othersChatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, 1, 10));
        queries.add(new LeadPageQuery(chatbot.id(), othersChatbot.ownerId(), from, to, 2, 10));

        int nonEmpty = 0;
        for (LeadPageQuery query : queries) {
            List<Lead> expected = app.leads().pageWithLookahead(query);
            assertEquals(expected, onLoop(() -> leads.pageWithLookahead(query)), query.toString());
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > queries.size() / 2, nonEmpty + " of " + queries.size() + " pages had leads");
        assertEquals(101, onLoop(() -> leads.pageWithLookahead(
                new LeadPageQuery(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, 1, 100))).size());
        assertEquals(List.of(), onLoop(() -> leads.pageWithLookahead(
                new LeadPageQuery(othersChatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, 1, 10))));
    }

    @Test
    void aCreatedLeadAndItsOutboxRowsAreWhatTheJdbcPathWrites() throws Exception {
        Chatbot chatbot = newChatbot();
        Chatbot sibling = app.chatbots().create(chatbot.ownerId(), "sibling");
        Webhook wanted = app.webhooks().create(chatbot.ownerId(), chatbot.id(), "https://example.com/a",
                WebhookRepository.EVENT_TYPES).webhook();
        Webhook forAllChatbots = app.webhooks().create(chatbot.ownerId(), null, "https://example.com/b",
                WebhookRepository.EVENT_TYPES).webhook();
        Webhook otherEvents = app.webhooks().create(chatbot.ownerId(), chatbot.id(), "https://example.com/c",
                List.of("leads.other")).webhook();
        Webhook otherChatbot = app.webhooks().create(chatbot.ownerId(), sibling.id(), "https://example.com/d",
                WebhookRepository.EVENT_TYPES).webhook();
        // Kept to the millisecond, as the column keeps it.
        Instant createdAt = Instant.parse("2025-05-05T05:05:05.123456789Z");
        NewLead submitted = newLead(chatbot, "Ada", createdAt);
        double countedBefore = leadsCounted();

        Lead created = onLoop(() -> leads.create(submitted));

        assertEquals(countedBefore + 1, leadsCounted());
        assertEquals(Instant.parse("2025-05-05T05:05:05.123Z"), created.createdAt());
        assertEquals(app.leads().find(created.id()).orElseThrow(), created);
        assertEquals(new Lead(created.id(), chatbot.id(), chatbot.ownerId(), "Ada", "Ada@example.com", "+14155550100",
                "conv-Ada", created.createdAt()), created);

        Lead viaJdbc = app.leads().create(submitted);
        for (Webhook webhook : List.of(wanted, forAllChatbots)) {
            List<Map<String, Object>> async = deliveries(webhook, created);
            List<Map<String, Object>> jdbc = deliveries(webhook, viaJdbc);
            assertEquals(1, async.size());
            assertEquals(1, jdbc.size());
            Map<String, Object> row = async.get(0);
            assertEquals(WebhookEvents.leadSubmitted(created), row.get("body"));
            assertEquals(jdbc.get(0).get("body"), ((String) row.get("body"))
                    .replace("\"leadId\":" + created.id(), "\"leadId\":" + viaJdbc.id()));
            assertTrue(((String) row.get("id")).startsWith("msg_"), row.toString());
            assertEquals("pending", row.get("status"));
            assertEquals(WebhookRepository.LEADS_SUBMIT, row.get("event_type"));
            assertEquals(0, ((Number) row.get("attempts")).intValue());
            assertEquals(row.get("created_at"), row.get("next_attempt_at"));
        }
        assertEquals(List.of(), deliveries(otherEvents, created));
        assertEquals(List.of(), deliveries(otherChatbot, created));
    }

    private double leadsCounted() {
        return app.metrics().registry().counter("chatleads.lead.creations").count();
    }

    private List<Map<String, Object>> deliveries(Webhook webhook, Lead lead) {
        return app.database().jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT id, event_type, body, status, attempts, next_attempt_at, created_at
                        FROM webhook_deliveries WHERE webhook_id = :webhookId AND lead_id = :leadId
                        """)
                .bind("webhookId", webhook.id())
                .bind("leadId", lead.id())
                .mapToMap()
                .list());
    }

    @Test
    void aDeletedChatbotIsAForeignKeyViolationAndTheConnectionServesTheNextLead() throws Exception {
        LoopConnections oneConnection = onLoop(() -> LoopConnections.open(vertx, options, 1));
        EventLoopLeads oneWriter = new EventLoopLeads(oneConnection, app.eventLoopLeadListeners());
        try {
            Chatbot deleted = newChatbot();
            app.chatbots().delete(deleted.id());
            double countedBefore = leadsCounted();

            Exception failure = assertThrows(Exception.class,
                    () -> onLoop(() -> oneWriter.create(newLead(deleted, "late", Instant.now()))));
            assertTrue(SqlErrors.isForeignKeyViolation(failure), failure.toString());
            assertEquals(countedBefore, leadsCounted());

            Chatbot live = newChatbot();
            Lead created = onLoop(() -> oneWriter.create(newLead(live, "next", Instant.now())));
            assertEquals(app.leads().find(created.id()).orElseThrow(), created);
        } finally {
            onLoop(oneConnection::close);
        }
    }

    @Test
    void moreCapturesThanWriteConnectionsWaitTheirTurn() throws Exception {
        Chatbot chatbot = newChatbot();
        app.webhooks().create(chatbot.ownerId(), null, "https://example.com/all", WebhookRepository.EVENT_TYPES);
        int captures = WRITE_CONNECTIONS * 10;
        List<Lead> created = onLoop(() -> {
            List<Future<Lead>> all = new ArrayList<>();
            for (int i = 0; i < captures; i++) {
                all.add(leads.create(newLead(chatbot, "q" + i, Instant.now())));
            }
            return Future.all(all).map(done -> all.stream().map(Future::result).toList());
        });
        assertEquals(captures, created.stream().map(Lead::id).distinct().count());
        assertEquals(captures, app.leads().pageWithLookahead(
                new LeadPageQuery(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, 1, 100)).size());
        int deliveries = app.database().jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT count(*) FROM webhook_deliveries d JOIN leads l ON l.id = d.lead_id
                        WHERE l.chatbot_id = :chatbotId
                        """).bind("chatbotId", chatbot.id()).mapTo(Integer.class).one());
        assertEquals(captures, deliveries);
    }

    @Test
    void connectionsTheServerEndsAreReplaced() throws Exception {
        Chatbot chatbot = newChatbot();
        onLoop(() -> leads.create(newLead(chatbot, "before", Instant.now())));
        LeadPageQuery firstPage = new LeadPageQuery(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, 1, 10);
        assertEquals(1, onLoop(() -> leads.pageWithLookahead(firstPage)).size());

        int ended = app.database().jdbi().withHandle(handle -> handle.createQuery("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'vertx-pg-client'
                """).mapTo(Integer.class).one());
        assertTrue(ended >= 1 + WRITE_CONNECTIONS, ended + " connections ended");

        // A page is only a read, so it is asked again on a new connection.
        assertEquals(1, onLoop(() -> leads.pageWithLookahead(firstPage)).size());
        // A capture on a connection whose end the loop has not yet seen fails (it is not retried: it
        // may have committed); each such connection is dropped, so one within that many succeeds,
        // and so do those after it.
        Lead after = null;
        for (int attempt = 0; attempt <= WRITE_CONNECTIONS && after == null; attempt++) {
            try {
                after = onLoop(() -> leads.create(newLead(chatbot, "after", Instant.now())));
            } catch (Exception e) {
                assertFalse(SqlErrors.isForeignKeyViolation(e), e.toString());
            }
        }
        assertTrue(after != null, "no capture succeeded after the connections were ended");
        for (int i = 0; i < WRITE_CONNECTIONS * 2; i++) {
            onLoop(() -> leads.create(newLead(chatbot, "later", Instant.now())));
        }
    }

    @Test
    void anotherThreadIsRefused() throws Exception {
        LeadPageQuery query = new LeadPageQuery("any", "any", Long.MIN_VALUE, Long.MAX_VALUE, 1, 10);
        Throwable refused = leads.pageWithLookahead(query).cause();
        assertInstanceOf(IllegalStateException.class, refused);
        assertTrue(refused.getMessage().contains(loopThread.getName()), refused.getMessage());
        Throwable notOnALoop = LoopConnections.open(vertx, options, 1).cause();
        assertInstanceOf(IllegalStateException.class, notOnALoop);
    }
}
