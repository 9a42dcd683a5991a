package io.chatleads.apikey;

import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresAuthCacheApiTest extends AbstractAuthCacheApiTest {

    private static final int KEYS = 40;
    // Far under KEYS, far over what the revocation watch (every 250 ms) and the scrapes add.
    private static final int AT_MOST_BACKGROUND = 20;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }

    /**
     * On PostgreSQL get-leads and a keyed capture read a key the cache does not hold on the event
     * loop's own connection, like the chatbot's owner and the page: the first uses of many keys (a
     * sync job per key, asking less often than the cache's TTL) take no JDBC connection at all. The
     * keys were used a moment ago (as by another server), so no last_used_at write is due; that
     * write, when due, still takes one ({@link AbstractAuthCacheApiTest}).
     */
    @Test
    void firstUsesOfManyKeysTakeNoJdbcConnection() {
        Tenant tenant = newTenant();
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            ApiKeyRepository.CreatedKey created = app().apiKeys().create(tenant.owner().id(), "sync " + i);
            app().apiKeys().markUsed(created.key().id(), Instant.now());
            secrets.add(created.secret());
        }
        assertEquals(200, server.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id(), tenant.secret()).statusCode(),
                "the chatbot's owner is cached before counting");
        double before = jdbcUses();
        for (int i = 0; i < KEYS; i++) {
            HttpResponse<String> answer = i % 2 == 0
                    ? server.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id(), secrets.get(i))
                    : keyedCapture(tenant, secrets.get(i));
            assertEquals(i % 2 == 0 ? 200 : 201, answer.statusCode(), answer.body());
        }
        double used = jdbcUses() - before;
        assertTrue(used < AT_MOST_BACKGROUND, KEYS + " first uses of keys took " + used + " JDBC connections");
    }

    /**
     * With every JDBC connection taken and nothing cached, get-leads and a keyed capture still
     * answer, with a key this server never saw: neither needs the pool any more. A route that
     * reads through it answers 503, as it must.
     */
    @Test
    void getLeadsAndKeyedCapturesServeWhileTheJdbcPoolIsExhausted() throws Exception {
        Tenant tenant = newTenant();
        try (TestServer starved = TestServer.start(database, Map.of("CHATLEADS_DB_POOL_SIZE", "2",
                "CHATLEADS_DB_CONNECTION_TIMEOUT_MS", "500", "CHATLEADS_CACHE_TTL_MS", "0"));
             Connection held = starved.pooledConnection();
             Connection alsoHeld = starved.pooledConnection()) {
            HttpResponse<String> page = starved.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id(), tenant.secret());
            assertEquals(200, page.statusCode(), page.body());
            HttpResponse<String> stored = keyedCapture(starved, tenant, tenant.secret());
            assertEquals(201, stored.statusCode(), stored.body());
            HttpResponse<String> chatbots = starved.get("/api/v1/get-chatbots", tenant.secret());
            assertEquals(503, chatbots.statusCode(), chatbots.body());
        }
    }
}
