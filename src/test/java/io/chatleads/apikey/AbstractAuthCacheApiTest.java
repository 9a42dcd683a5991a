package io.chatleads.apikey;

import io.chatleads.app.Chatleads;
import io.chatleads.cli.ChatleadsCommand;
import io.chatleads.lead.NewLead;
import io.chatleads.support.Poll;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server remembers verified keys and chatbot owners for CHATLEADS_CACHE_TTL_MS (default 5 s).
 * These are correctness tests: what must hold whatever the cache does. No timing is asserted; the
 * cross-process case polls with a deadline far above the TTL.
 */
abstract class AbstractAuthCacheApiTest extends ServerTestBase {

    // Far above the 5 s TTL, so a slow, shared machine cannot fail the test; only a key that never
    // stops working does.
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private String leadsPath(Tenant tenant) {
        return "/api/v1/get-leads?chatbotId=" + tenant.chatbot().id();
    }

    private int status(Tenant tenant, String secret) {
        return server.get(leadsPath(tenant), secret).statusCode();
    }

    private String keyId(Tenant tenant) {
        return app().apiKeys().findBySecret(tenant.secret()).orElseThrow().id();
    }

    /** A submission with a key, without an Idempotency-Key: on PostgreSQL, checked and stored on the event loop. */
    protected HttpResponse<String> keyedCapture(Tenant tenant, String secret) {
        return keyedCapture(server, tenant, secret);
    }

    protected static HttpResponse<String> keyedCapture(TestServer server, Tenant tenant, String secret) {
        return server.send(server.request("/api/v1/chatbots/" + tenant.chatbot().id() + "/leads")
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"keyed@example.com\"}")).build());
    }

    private Instant lastUsedAt(String keyId) {
        return app().apiKeys().find(keyId).orElseThrow().lastUsedAt();
    }

    private void awaitUnauthorized(Tenant tenant) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = server.get(leadsPath(tenant), tenant.secret());
            if (response.statusCode() == 401) {
                return;
            }
            assertEquals(200, response.statusCode(), response.body());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("a key revoked by another process still works after " + DEADLINE);
    }

    /**
     * A key nobody has (in the key's own format) and a key revoked before this server ever saw it
     * answer the same 401 on both routes that read keys on PostgreSQL's event loops, every time:
     * neither is remembered.
     */
    @Test
    void unknownAndRevokedKeysAnswerTheSame401EveryTime() {
        Tenant tenant = newTenant();
        ApiKeyRepository.CreatedKey revoked = app().apiKeys().create(tenant.owner().id(), "revoked");
        app().apiKeys().revoke(revoked.key().id());
        String unknown = ApiKeyRepository.SECRET_PREFIX + "A".repeat(43);
        for (String secret : List.of(unknown, revoked.secret(), unknown, revoked.secret())) {
            for (HttpResponse<String> refused : List.of(server.get(leadsPath(tenant), secret), keyedCapture(tenant, secret))) {
                assertEquals(401, refused.statusCode(), refused.uri() + ": " + refused.body());
                assertEquals("{\"message\":\"invalid or revoked API key\"}", refused.body());
                assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElse(null));
            }
        }
        assertNull(lastUsedAt(revoked.key().id()), "a revoked key's use is not recorded");
    }

    /**
     * last_used_at is written on a key's first use, and again once it is more than a minute old,
     * whichever route the key came through (on PostgreSQL, read on an event loop, the write on a
     * worker thread after the answer: polled for).
     */
    @Test
    void aKeysUseIsRecordedOnItsFirstCallAndOnceAMinuteOld() {
        Tenant tenant = newTenant();
        String id = keyId(tenant);
        assertNull(lastUsedAt(id));
        assertEquals(200, status(tenant, tenant.secret()));
        Poll.until(DEADLINE, "last_used_at written after the first call", () -> lastUsedAt(id) != null);

        Tenant other = newTenant();
        String otherId = keyId(other);
        Instant twoMinutesAgo = Instant.ofEpochMilli(System.currentTimeMillis() - Duration.ofMinutes(2).toMillis());
        app().apiKeys().markUsed(otherId, twoMinutesAgo);
        HttpResponse<String> stored = keyedCapture(other, other.secret());
        assertEquals(201, stored.statusCode(), stored.body());
        Poll.until(DEADLINE, "last_used_at written again, two minutes after the last", () -> lastUsedAt(otherId).isAfter(twoMinutesAgo));
    }

    @Test
    void aKeyRevokedThroughThisServerStopsAtOnceEvenWhenCached() {
        Tenant tenant = newTenant();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, status(tenant, tenant.secret()));
        }
        app().apiKeys().revoke(keyId(tenant));
        assertEquals(401, status(tenant, tenant.secret()));
        assertEquals(401, status(tenant, tenant.secret()));
    }

    @Test
    void aKeyRevokedThroughAnotherInstanceStopsWithinTheTtl() {
        Tenant tenant = newTenant();
        assertEquals(200, status(tenant, tenant.secret()));
        try (Chatleads other = database.open()) {
            other.apiKeys().revoke(keyId(tenant));
        }
        awaitUnauthorized(tenant);
    }

    @Test
    void theRevocationWatchDropsAKeyRevokedElsewhereBeforeItsTtlEnds() {
        Tenant tenant = newTenant();
        assertEquals(200, status(tenant, tenant.secret()));
        assertEquals(200, status(tenant, tenant.secret()), "served from the cache now");
        try (Chatleads other = database.open()) {
            other.apiKeys().revoke(keyId(tenant));
        }
        // What the server's watch does every 250 ms, done here at once so that no timing matters.
        app().authenticator().forgetRecentRevocations();
        assertEquals(401, status(tenant, tenant.secret()));
    }

    @Test
    void aKeyRevokedWithTheCommandLineStopsWithinTheTtl() {
        Tenant tenant = newTenant();
        assertEquals(200, status(tenant, tenant.secret()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ChatleadsCommand.run(new String[]{"key", "revoke", keyId(tenant)}, database::settings,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        awaitUnauthorized(tenant);
    }

    @Test
    void aKeyCreatedElsewhereWorksAtOnceAndOtherKeysOfTheOwnerAreUnaffected() {
        Tenant tenant = newTenant();
        assertEquals(200, status(tenant, tenant.secret()));
        String second;
        try (Chatleads other = database.open()) {
            second = other.apiKeys().create(tenant.owner().id(), "second").secret();
        }
        assertEquals(200, status(tenant, second));
        app().apiKeys().revoke(keyId(tenant));
        assertEquals(401, status(tenant, tenant.secret()));
        assertEquals(200, status(tenant, second));
    }

    @Test
    void anEmptyChatbotOfAnotherOwnerIs404AndAnEmptyOwnChatbotIsAnEmptyPage() {
        Tenant owner = newTenant();
        Tenant stranger = newTenant();
        assertEquals(404, status(owner, stranger.secret()));
        assertEquals(200, status(owner, owner.secret()));
        assertEquals(404, status(owner, stranger.secret()));
    }

    @Test
    void aCachedOwnerNeverLetsAnotherOwnerIn() {
        Tenant owner = newTenant();
        Tenant stranger = newTenant();
        // With leads, so the stranger's page query (which folds in the owner) is what refuses.
        app().leads().create(new NewLead(owner.chatbot().id(), owner.owner().id(), "Ada", "ada@example.com", null,
                null, Instant.now()));
        assertEquals(200, status(owner, owner.secret()));
        assertEquals(404, status(owner, stranger.secret()));
        assertEquals(200, status(owner, owner.secret()));
        assertEquals(404, status(owner, stranger.secret()));
    }
}
