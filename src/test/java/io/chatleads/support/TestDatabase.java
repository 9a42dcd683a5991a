package io.chatleads.support;

import io.chatleads.app.Chatleads;
import io.chatleads.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty, migrated database for one test class: an SQLite file in a temporary directory,
 * or a new database on a real PostgreSQL server. The server is the one named by
 * {@code CHATLEADS_TEST_DB_URL} (for example {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}),
 * else an embedded PostgreSQL started once per JVM.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind { SQLITE, POSTGRES }

    private static EmbeddedPostgres embedded;

    private final Kind kind;
    private final Map<String, String> env;
    private final Runnable cleanup;

    private TestDatabase(Kind kind, Map<String, String> env, Runnable cleanup) {
        this.kind = kind;
        this.env = env;
        this.cleanup = cleanup;
    }

    public static TestDatabase create(Kind kind) {
        return kind == Kind.SQLITE ? sqlite() : postgres();
    }

    public static TestDatabase sqlite() {
        try {
            Path dir = Files.createTempDirectory("chatleads-test");
            Map<String, String> env = new HashMap<>();
            env.put("CHATLEADS_DB_URL", "jdbc:sqlite:" + dir.resolve("chatleads.db"));
            return new TestDatabase(Kind.SQLITE, env, () -> deleteRecursively(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestDatabase postgres() {
        return postgresOn(adminUrl());
    }

    /** A new database on the server of {@code adminUrl} (a cluster of the test's own, say). */
    public static TestDatabase postgresOn(String adminUrl) {
        String name = "chatleads_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(adminUrl, "CREATE DATABASE " + name);
        Map<String, String> env = new HashMap<>();
        env.put("CHATLEADS_DB_URL", withDatabase(adminUrl, name));
        return new TestDatabase(Kind.POSTGRES, env,
                () -> execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    public Kind kind() {
        return kind;
    }

    /** The environment a server or command uses to reach this database; add settings to taste. */
    public Map<String, String> env() {
        return new HashMap<>(env);
    }

    public Settings settings() {
        return Settings.from(env);
    }

    public Chatleads open() {
        return new Chatleads(io.chatleads.db.Database.open(settings()), Clock.systemUTC());
    }

    @Override
    public void close() {
        cleanup.run();
    }

    private static synchronized String adminUrl() {
        String configured = System.getenv("CHATLEADS_TEST_DB_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL; set CHATLEADS_TEST_DB_URL", e);
            }
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    /** Replaces the database name of a jdbc:postgresql://host:port/NAME?params URL. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int slash = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String base = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
        String params = query < 0 ? "" : url.substring(query);
        return base + "/" + database + params;
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
