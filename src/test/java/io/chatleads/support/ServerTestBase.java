package io.chatleads.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

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
}
