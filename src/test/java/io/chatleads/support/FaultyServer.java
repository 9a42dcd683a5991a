package io.chatleads.support;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.db.Dialect;
import io.chatleads.owner.Owner;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    private final Outage outage;
    private final AutoCloseable cleanup;

    private FaultyServer(TestServer server, Tenant tenant, Outage outage, AutoCloseable cleanup) {
        this(server, tenant.chatbot(), tenant.secret(), outage, cleanup);
    }

    private FaultyServer(TestServer server, Chatbot chatbot, String secret, Outage outage, AutoCloseable cleanup) {
        this.server = server;
        this.chatbot = chatbot;
        this.secret = secret;
        this.outage = outage;
        this.cleanup = cleanup;
    }

    /** Every statement fails as an internal error ({@link #failEveryStatement}): 500 on every API route, readiness 503. */
    public static FaultyServer failingEveryStatement(TestDatabase.Kind kind) {
        TestDatabase database = TestDatabase.create(kind);
        TestServer server = TestServer.start(database);
        Tenant tenant = Tenant.of(server);
        failEveryStatement(server);
        return new FaultyServer(server, tenant, null, () -> {
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
     * documented answer is 503 with Retry-After. {@link #bringDatabaseBack} ends the outage.
     */
    public static FaultyServer withDatabaseAway(TestDatabase.Kind kind, Map<String, String> env) {
        FaultyServer faulty = withDatabaseToTakeAway(kind, env);
        try {
            faulty.takeDatabaseAway();
        } catch (RuntimeException e) {
            faulty.close();
            throw e;
        }
        return faulty;
    }

    /** {@link #withDatabaseAway}'s server with its database still there, until {@link #takeDatabaseAway}. */
    public static FaultyServer withDatabaseToTakeAway(TestDatabase.Kind kind, Map<String, String> env) {
        if (kind == TestDatabase.Kind.POSTGRES) {
            ServerOnOwnPostgres own = ServerOnOwnPostgres.start(Map.of(), env);
            OwnPostgres cluster = own.cluster();
            return new FaultyServer(own.server(), own.chatbot(), own.secret(), new Outage() {
                @Override
                public void begin() {
                    cluster.stopFast();
                }

                @Override
                public void end() {
                    cluster.startAgain();
                }
            }, own);
        }
        TestDatabase database = TestDatabase.sqlite();
        Map<String, String> starved = new HashMap<>(env);
        starved.put("CHATLEADS_DB_POOL_SIZE", "2");
        TestServer server = TestServer.start(database, starved);
        PoolTaken taken = new PoolTaken(server);
        return new FaultyServer(server, Tenant.of(server), taken, () -> {
            try (database; server) {
                taken.end(); // released first, then the server stopped and the file removed
            }
        });
    }

    /** Starts the outage of {@link #withDatabaseAway}; the database must be there. */
    public void takeDatabaseAway() {
        outage().begin();
    }

    /** Ends the outage: the database is there again for the next request (SQLite) or connection (PostgreSQL). */
    public void bringDatabaseBack() {
        outage().end();
    }

    private Outage outage() {
        if (outage == null) {
            throw new IllegalStateException("this faulty server fails every statement; its database cannot come and go");
        }
        return outage;
    }

    /** What takes the server's database away, and brings it back. */
    private interface Outage {
        void begin();

        void end();
    }

    /** SQLite's one path closed: every connection of its pool taken and held here. */
    private static final class PoolTaken implements Outage {
        private final TestServer server;
        private final List<Connection> held = new ArrayList<>();

        PoolTaken(TestServer server) {
            this.server = server;
        }

        @Override
        public void begin() {
            try {
                held.add(server.pooledConnection());
                held.add(server.pooledConnection());
            } catch (SQLException e) {
                end();
                throw new IllegalStateException("cannot take the pool's connections: " + e.getMessage(), e);
            }
        }

        @Override
        public void end() {
            for (Connection connection : held) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot give a connection back to the pool: " + e.getMessage(), e);
                }
            }
            held.clear();
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
