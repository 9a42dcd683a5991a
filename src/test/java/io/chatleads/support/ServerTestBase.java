package io.chatleads.support;

import io.chatleads.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.UUID;

/**
 * Base of HTTP suites: one fresh database and one running server per test class, of the database
 * kind the concrete subclass names, so the same tests run on SQLite and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTestBase {

    protected TestDatabase database;
    protected TestServer server;

    protected abstract TestDatabase.Kind kind();

    /** Settings for this suite's server beyond the database's. */
    protected Map<String, String> serverEnv() {
        return Map.of();
    }

    @BeforeAll
    void startServer() {
        database = TestDatabase.create(kind());
        server = TestServer.start(database, serverEnv());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    protected Chatleads app() {
        return server.app();
    }

    /** An owner with one chatbot and one live key. */
    protected record Tenant(Owner owner, Chatbot chatbot, String secret) {
    }

    protected Tenant newTenant() {
        Owner owner = app().owners().create("owner-" + UUID.randomUUID() + "@example.com");
        Chatbot chatbot = app().chatbots().create(owner.id(), "bot");
        String secret = app().apiKeys().create(owner.id(), "test").secret();
        return new Tenant(owner, chatbot, secret);
    }
}
