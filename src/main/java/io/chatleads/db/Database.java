package io.chatleads.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.chatleads.SecretScrubber;
import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The connection pool, the JDBI handle factory and the migrations, for either dialect. */
public final class Database implements AutoCloseable {

    static final String CONNECTION_TIMEOUT_SETTING = "CHATLEADS_DB_CONNECTION_TIMEOUT_MS";
    private static final int DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;

    private final Dialect dialect;
    private final String url;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private volatile List<String> shippedVersions;

    private Database(Dialect dialect, String url, HikariDataSource dataSource) {
        this.dialect = dialect;
        this.url = url;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens the pool and applies pending migrations; fails with a one-line {@link SettingsException}. */
    public static Database open(Settings settings) {
        Database database = configure(settings);
        database.connect();
        return database;
    }

    /**
     * The pool configured but not yet connected: nothing touches the database until {@link #connect}.
     * Lets {@code serve} connect and migrate on one thread while it builds the HTTP server on another.
     * Fails with a one-line {@link SettingsException} for settings it can check without connecting.
     */
    public static Database configure(Settings settings) {
        Dialect dialect = Dialect.of(settings.dbUrl());
        // Whatever a driver or library says about a failure is scrubbed of these before it is shown.
        SecretScrubber.remember(settings.dbPassword());
        if (dialect == Dialect.POSTGRESQL) {
            SecretScrubber.remember(PostgresConnectOptions.urlPassword(settings.dbUrl()));
            PostgresConnectOptions.refuseUserInfo(settings.dbUrl());
            scrubDriverLogging();
        }
        // Configured on the data source itself, which starts its pool on the first getConnection
        // (in connect), instead of in its constructor.
        HikariDataSource config = new HikariDataSource();
        config.setPoolName("chatleads");
        config.setJdbcUrl(settings.dbUrl());
        config.setUsername(settings.dbUser());
        config.setPassword(settings.dbPassword());
        config.setMaximumPoolSize(settings.dbPoolSize());
        // How long a request waits for a pooled connection: past it, the request is answered 503
        // (SqlErrors.isUnavailable), so while the database is away every JDBC request is answered within
        // this time rather than held; HikariCP takes no less than 250 ms.
        config.setConnectionTimeout(settings.integer(CONNECTION_TIMEOUT_SETTING, DEFAULT_CONNECTION_TIMEOUT_MS, 250, 60_000));
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
        return new Database(dialect, settings.dbUrl(), config);
    }

    /**
     * Starts the pool (failing within the initialization timeout when the database cannot be
     * reached) and applies pending migrations; on failure closes the pool and throws a one-line
     * {@link SettingsException}. Once per database, before any other use of it.
     */
    public void connect() {
        try {
            // The first connection starts the pool, which checks it can connect (initializationFailTimeout).
            dataSource.getConnection().close();
        } catch (SQLException | RuntimeException e) {
            close();
            throw new SettingsException("cannot connect to database " + redact(url) + ": " + SecretScrubber.scrub(rootMessage(e)));
        }
        try {
            migrate();
        } catch (RuntimeException e) {
            close();
            throw new SettingsException("cannot migrate database " + redact(url) + ": " + SecretScrubber.scrub(rootMessage(e)));
        }
    }

    /**
     * Runs one trivial statement through JDBI and ignores any failure: the one-time set-up of its
     * statement machinery (it registers a JFR event type on its first statement, 0.1-0.2 s) is then
     * done before the first request, which would otherwise wait for it.
     */
    public void warmUp() {
        try {
            jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
        } catch (RuntimeException e) {
            // only a warm-up: the first request meets whatever this met
        }
    }

    private void migrate() {
        flyway().migrate();
    }

    /**
     * On PostgreSQL, Flyway's default lock (a transactional advisory lock) is held in a transaction
     * on a connection of its own while the migrations run on another: two pooled connections at
     * once, which {@code CHATLEADS_DB_POOL_SIZE=1} never has, so start-up waited out the pool's
     * timeout and failed. A session-level advisory lock excludes a second server migrating at the
     * same time just as well, and Flyway then takes and migrates on one connection.
     */
    private Flyway flyway() {
        FluentConfiguration configuration = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation());
        if (dialect == Dialect.POSTGRESQL) {
            // The typed extension, not the "flyway.postgresql.transactional.lock" property: Flyway
            // parses that property with Jackson's data binding looked up in a way the shaded jar
            // does not satisfy, and the server refused to start on PostgreSQL (tests, on the plain
            // classpath, passed).
            configuration.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        }
        return configuration.load();
    }

    /**
     * The versions of the migrations this build ships, which readiness requires to be applied.
     * Resolved (a classpath scan and a look at the schema history) on first use, then remembered.
     */
    public List<String> shippedMigrationVersions() {
        List<String> versions = shippedVersions;
        if (versions == null) {
            versions = Arrays.stream(flyway().info().all())
                    .filter(info -> info.getVersion() != null && info.getState().isResolved())
                    .map(info -> info.getVersion().getVersion())
                    .toList();
            shippedVersions = versions;
        }
        return versions;
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

    /**
     * pgjdbc logs through java.util.logging, which prints to stderr on its own (a malformed URL's
     * parts, for instance) and bypasses logback: its handlers' records are scrubbed (see
     * {@link SecretScrubber}) before they are formatted. Once per JVM.
     */
    private static synchronized void scrubDriverLogging() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            Filter existing = handler.getFilter();
            if (existing instanceof ScrubbingFilter) {
                continue;
            }
            handler.setFilter(new ScrubbingFilter(existing));
        }
    }

    private record ScrubbingFilter(Filter next) implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            if (next != null && !next.isLoggable(record)) {
                return false;
            }
            // The message as the formatter would write it, with its parameters in, then scrubbed.
            String message = new java.util.logging.SimpleFormatter().formatMessage(record);
            record.setMessage(SecretScrubber.scrub(message));
            record.setParameters(null);
            record.setThrown(SecretScrubber.scrubbed(record.getThrown()));
            return true;
        }
    }

    /** Database URLs may carry a password as a parameter; never print it. */
    static String redact(String url) {
        return SecretScrubber.scrub(Settings.redactUrl(url));
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
