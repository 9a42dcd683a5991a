package io.chatleads.support;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.db.Dialect;
import io.chatleads.owner.Owner;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * For failure tests: a real server on a database of its own, with an owner, a chatbot and a key of
 * that owner, and a fault that every path from the server to its database meets: the JDBC pool
 * and, on PostgreSQL, the event loops' own connections, through which alone get-leads and keyed
 * captures read (closing or starving only the pool would leave those answering 200 and 201).
 * Closing stops the server and removes its database.
 */
public final class FaultyServer implements AutoCloseable {

    private final TestServer server;
    private final Chatbot chatbot;
    private final String secret;
    private final AutoCloseable cleanup;

    private FaultyServer(TestServer server, Tenant tenant, AutoCloseable cleanup) {
        this(server, tenant.chatbot(), tenant.secret(), cleanup);
    }

    private FaultyServer(TestServer server, Chatbot chatbot, String secret, AutoCloseable cleanup) {
        this.server = server;
        this.chatbot = chatbot;
        this.secret = secret;
        this.cleanup = cleanup;
    }

    /** Every statement fails as an internal error ({@link #failEveryStatement}): 500 on every API route, readiness 503. */
    public static FaultyServer failingEveryStatement(TestDatabase.Kind kind) {
        TestDatabase database = TestDatabase.create(kind);
        TestServer server = TestServer.start(database);
        Tenant tenant = Tenant.of(server);
        failEveryStatement(server);
        return new FaultyServer(server, tenant, () -> {
            try (database; server) {
                // the server stopped, then its database removed
            }
        });
    }

    /**
     * The database away, with {@code env}'s settings: on SQLite its one path, a JDBC pool of two, all
     * taken and held by the test, so that every request waits out CHATLEADS_DB_CONNECTION_TIMEOUT_MS;
     * on PostgreSQL a cluster of the test's own stopped as an operator stops it ({@link OwnPostgres#stopFast}),
     * so that the pool can open no connection and neither can the event loops. Either way the
     * documented answer is 503 with Retry-After.
     */
    public static FaultyServer withDatabaseAway(TestDatabase.Kind kind, Map<String, String> env) {
        if (kind == TestDatabase.Kind.POSTGRES) {
            ServerOnOwnPostgres own = ServerOnOwnPostgres.start(Map.of(), env);
            own.cluster().stopFast();
            return new FaultyServer(own.server(), own.chatbot(), own.secret(), own);
        }
        TestDatabase database = TestDatabase.sqlite();
        Map<String, String> starved = new HashMap<>(env);
        starved.put("CHATLEADS_DB_POOL_SIZE", "2");
        TestServer server = TestServer.start(database, starved);
        Tenant tenant = Tenant.of(server);
        try {
            Connection held = server.pooledConnection();
            Connection alsoHeld = server.pooledConnection();
            return new FaultyServer(server, tenant, () -> {
                try (database; server; held; alsoHeld) {
                    // released first, then the server stopped and the file removed
                }
            });
        } catch (SQLException e) {
            server.close();
            database.close();
            throw new IllegalStateException("cannot take the pool's connections: " + e.getMessage(), e);
        }
    }

    /**
     * From now on every statement {@code server} sends fails as an internal error rather than as an
     * outage, whichever path sends it: on SQLite its one path, the JDBC pool, is closed; on
     * PostgreSQL the schema is dropped, which the pool's connections and the event loops' own both
     * find. Only on a database of the test's own: every other server on it fails too.
     */
    public static void failEveryStatement(TestServer server) {
        if (server.app().database().dialect() == Dialect.SQLITE) {
            server.app().database().dataSource().close();
            return;
        }
        try (Connection connection = server.pooledConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the schema: " + e.getMessage(), e);
        }
    }

    /** Made before the fault, through the server's own repositories. */
    private record Tenant(Chatbot chatbot, String secret) {
        static Tenant of(TestServer server) {
            Owner owner = server.app().owners().create("owner-" + UUID.randomUUID() + "@example.com");
            Chatbot chatbot = server.app().chatbots().create(owner.id(), "bot");
            return new Tenant(chatbot, server.app().apiKeys().create(owner.id(), "k").secret());
        }
    }

    public TestServer server() {
        return server;
    }

    public Chatbot chatbot() {
        return chatbot;
    }

    /** A live key of the chatbot's owner, never used before the fault. */
    public String secret() {
        return secret;
    }

    @Override
    public void close() {
        try {
            cleanup.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the faulty server: " + e.getMessage(), e);
        }
    }
}
