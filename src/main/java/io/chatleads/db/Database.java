package io.chatleads.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The connection pool, the JDBI handle factory and the migrations, for either dialect. */
public final class Database implements AutoCloseable {

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(Dialect dialect, HikariDataSource dataSource) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens the pool and applies pending migrations; fails with a one-line {@link SettingsException}. */
    public static Database open(Settings settings) {
        Dialect dialect = Dialect.of(settings.dbUrl());
        HikariConfig config = new HikariConfig();
        config.setPoolName("chatleads");
        config.setJdbcUrl(settings.dbUrl());
        config.setUsername(settings.dbUser());
        config.setPassword(settings.dbPassword());
        config.setMaximumPoolSize(settings.dbPoolSize());
        config.setConnectionTimeout(5_000);
        // Fail at start with a clear message rather than on the first request.
        config.setInitializationFailTimeout(5_000);
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(settings.dbUrl());
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "10000");
            // FULL: a lead acknowledged with 201 is on disk even if the machine loses power.
            config.addDataSourceProperty("synchronous", "FULL");
            // Writers take the write lock when the transaction begins, so two writers queue on
            // busy_timeout instead of failing when a read transaction tries to upgrade.
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        } else {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new SettingsException("cannot connect to database " + redact(settings.dbUrl()) + ": " + rootMessage(e));
        }
        Database database = new Database(dialect, dataSource);
        try {
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw new SettingsException("cannot migrate database " + redact(settings.dbUrl()) + ": " + rootMessage(e));
        }
        return database;
    }

    private void migrate() {
        flyway().migrate();
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .load();
    }

    /** The versions of the migrations this build ships, which readiness requires to be applied. */
    public List<String> shippedMigrationVersions() {
        return Arrays.stream(flyway().info().all())
                .filter(info -> info.getVersion() != null && info.getState().isResolved())
                .map(info -> info.getVersion().getVersion())
                .toList();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void createParentDirectory(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new SettingsException("cannot create the directory for the SQLite file " + path + ": " + e.getMessage());
        }
    }

    /** Database URLs may carry a password as a parameter; never print it. */
    static String redact(String url) {
        return Settings.redactUrl(url);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
