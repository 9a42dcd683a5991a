package io.chatleads.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.chatleads.Periodic;
import io.chatleads.SecretScrubber;
import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.pgclient.PgConnectOptions;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL streaming replicas of {@code CHATLEADS_DB_READ_URL}: each one's JDBC pool and the
 * options its event-loop connections use, and each one's state and lag, measured by a periodic check
 * on a thread of its own (never per request). Reads that may be a little stale ({@link StaleReads},
 * {@link LoopStaleReads}) go to the replicas that are up, in turn; a replica that is down or lags more
 * than {@code CHATLEADS_DB_READ_MAX_LAG_SECONDS} is skipped, and its reads go to the primary.
 * Without the setting there are none, and every read goes to the primary.
 */
public final class ReadReplicas implements AutoCloseable {

    public static final String URL_SETTING = "CHATLEADS_DB_READ_URL";
    static final String MAX_LAG_SETTING = "CHATLEADS_DB_READ_MAX_LAG_SECONDS";
    static final String CHECK_SETTING = "CHATLEADS_DB_READ_CHECK_MS";

    private static final Logger LOG = LoggerFactory.getLogger(ReadReplicas.class);

    // How long one check waits for a replica (or the primary) to answer before it counts it down.
    private static final int CHECK_TIMEOUT_MS = 2_000;
    // A replica that vanished costs a read at most this long (the wait for a pooled connection)
    // before the read goes to the primary; then the replica is down until the next check.
    private static final int CONNECTION_TIMEOUT_MS = 1_000;

    /** Whether reads go to a replica: only while it is {@code UP}. */
    public enum State {
        /** Not checked yet (the server checks at start; commands never do): not used. */
        UNCHECKED,
        UP,
        LAGGING,
        DOWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One replica as the last check (or a failed read since) saw it. {@code name} is
     * {@code host:port/database}, never the URL (which may carry a password); {@code lagSeconds} is
     * null when unknown; {@code reason} says why it is not up (null when up).
     */
    public record Status(String name, State state, Double lagSeconds, String reason) {
    }

    /** What the settings ask for; reading it is the settings check. */
    public record Config(List<String> urls, int maxLagSeconds, int checkMillis) {

        /** Throws {@link SettingsException} with one line naming the bad setting. */
        public static Config read(Settings settings) {
            String raw = settings.string(URL_SETTING, "");
            int maxLag = settings.integer(MAX_LAG_SETTING, 5, 1, 3600);
            int check = settings.integer(CHECK_SETTING, 1000, 100, 60_000);
            List<String> urls = new ArrayList<>();
            for (String url : Settings.urlList(raw)) {
                if (!url.isEmpty()) {
                    urls.add(url);
                }
            }
            if (!urls.isEmpty() && Dialect.of(settings.dbUrl()) != Dialect.POSTGRESQL) {
                throw new SettingsException(URL_SETTING + " names PostgreSQL read replicas, but CHATLEADS_DB_URL is SQLite, "
                        + "which has none: unset " + URL_SETTING + " or use PostgreSQL");
            }
            for (String url : urls) {
                SecretScrubber.remember(PostgresConnectOptions.urlPassword(url));
                // Checks the URL as the event loops will read it: one host, a port, a known sslmode.
                PostgresConnectOptions.of(URL_SETTING, url, settings.dbUser(), settings.dbPassword());
                if (url.equals(settings.dbUrl())) {
                    throw new SettingsException(URL_SETTING + " " + Database.redact(url) + " is CHATLEADS_DB_URL itself; "
                            + "name the replicas only");
                }
            }
            return new Config(List.copyOf(urls), maxLag, check);
        }
    }

    /** One replica: its pool, its loop connections' options, and what the last check found. */
    private static final class Replica {
        final String name;
        final HikariDataSource dataSource;
        final Jdbi jdbi;
        final PgConnectOptions loopOptions;
        volatile Status status;
        Counter reads;
        Counter fallbacks;

        Replica(String name, HikariDataSource dataSource, PgConnectOptions loopOptions) {
            this.name = name;
            this.dataSource = dataSource;
            this.jdbi = Jdbi.create(dataSource);
            this.loopOptions = loopOptions;
            this.status = new Status(name, State.UNCHECKED, null, "not checked yet");
        }
    }

    private final Database primary;
    private final List<Replica> replicas;
    private final long maxLagMillis;
    private final Duration checkInterval;
    private final PrimaryPositions positions;
    private final AtomicInteger turn = new AtomicInteger();
    // A check waits for each answer here, with a deadline, so a hung replica costs the check only that.
    private final ExecutorService questions = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "chatleads-replica-check");
        thread.setDaemon(true);
        return thread;
    });
    private Counter primaryReads;
    private AutoCloseable periodic;

    private ReadReplicas(Database primary, List<Replica> replicas, Config config) {
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        this.maxLagMillis = config.maxLagSeconds() * 1000L;
        this.checkInterval = Duration.ofMillis(config.checkMillis());
        this.positions = new PrimaryPositions(Math.max(60_000L, 2 * maxLagMillis));
    }

    /**
     * The replicas the settings name, with their pools configured but not connected (nothing
     * connects until {@link #start} or a read); none without {@code CHATLEADS_DB_READ_URL}.
     */
    public static ReadReplicas configure(Settings settings, Database primary) {
        Config config = Config.read(settings);
        List<Replica> replicas = new ArrayList<>();
        for (String url : config.urls()) {
            PgConnectOptions options = PostgresConnectOptions.of(URL_SETTING, url, settings.dbUser(), settings.dbPassword());
            String name = options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName("chatleads-replica-" + (replicas.size() + 1));
            pool.setJdbcUrl(url);
            pool.setUsername(settings.dbUser());
            pool.setPassword(settings.dbPassword());
            pool.setMaximumPoolSize(settings.dbPoolSize());
            pool.setReadOnly(true);
            pool.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
            // A replica that is down at start must not stop the server: the pool starts empty and
            // the check reports the replica down until it answers.
            pool.setInitializationFailTimeout(-1);
            replicas.add(new Replica(name, pool, options));
        }
        return new ReadReplicas(primary, replicas, config);
    }

    /** None: every read on the primary (SQLite, tests, commands). */
    public static ReadReplicas none(Database primary) {
        return new ReadReplicas(primary, List.of(), new Config(List.of(), 5, 1000));
    }

    public boolean isEmpty() {
        return replicas.isEmpty();
    }

    int size() {
        return replicas.size();
    }

    /**
     * Meters: {@code chatleads_db_replica_up} and {@code chatleads_db_replica_lag_seconds} per
     * replica, {@code chatleads_db_stale_reads_total} by where the reads went, and
     * {@code chatleads_db_replica_fallbacks_total}: reads a replica failed that the primary answered.
     * Also each replica's pool gauges ({@code hikaricp_*{pool="chatleads-replica-N"}}). Before
     * anything connects.
     */
    public void bindTo(MeterRegistry registry) {
        primaryReads = Counter.builder("chatleads_db_stale_reads").tag("to", "primary")
                .description("Reads that may be stale, by where they went: a replica, or the primary").register(registry);
        for (Replica replica : replicas) {
            replica.dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            replica.reads = Counter.builder("chatleads_db_stale_reads").tag("to", replica.name).register(registry);
            replica.fallbacks = Counter.builder("chatleads_db_replica_fallbacks").tag("replica", replica.name)
                    .description("Reads this replica failed that the primary then answered").register(registry);
            Gauge.builder("chatleads_db_replica_up", replica, r -> r.status.state() == State.UP ? 1 : 0).tag("replica", replica.name)
                    .description("1 while reads go to this replica, 0 while it is down, lagging or not yet checked").register(registry);
            Gauge.builder("chatleads_db_replica_lag_seconds", replica,
                            r -> r.status.lagSeconds() == null ? Double.NaN : r.status.lagSeconds()).tag("replica", replica.name)
                    .description("How far this replica's data is behind the primary's, as of the last check; NaN when unknown")
                    .register(registry);
        }
    }

    /** Checks every replica now, then every {@code CHATLEADS_DB_READ_CHECK_MS}, on a thread of its own. Once. */
    public void start() {
        if (replicas.isEmpty()) {
            return;
        }
        Thread first = new Thread(this::checkQuietly, "chatleads-replica-check-first");
        first.setDaemon(true);
        first.start();
        periodic = Periodic.every(checkInterval, "chatleads-replica-checks", this::checkNow,
                e -> LOG.warn("the read replica check failed: {}", SecretScrubber.scrub(String.valueOf(e.getMessage()))));
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.warn("the read replica check failed: {}", SecretScrubber.scrub(String.valueOf(e.getMessage())));
        }
    }

    /**
     * One check: the primary's WAL position, then each replica's replayed one, and from them each
     * replica's state ({@link PrimaryPositions} says how the lag is worked out).
     */
    public synchronized void checkNow() {
        PrimaryPositions.Position current = null;
        long askedAt = nowMillis();
        try {
            current = ask(primary.dataSource(), """
                    SELECT pg_current_wal_lsn()::text, (extract(epoch FROM now()) * 1000)::bigint""",
                    rows -> new PrimaryPositions.Position(askedAt, PrimaryPositions.parseLsn(rows.getString(1)), rows.getLong(2)));
            positions.add(current);
        } catch (Exception e) {
            // No new position: each replica is judged on the earlier ones, so its lag grows and it is
            // skipped once that passes the bound, as with any replica whose freshness cannot be shown.
            LOG.debug("the primary's WAL position could not be read: {}", e.toString());
        }
        for (Replica replica : replicas) {
            update(replica, check(replica, current));
        }
    }

    private Status check(Replica replica, PrimaryPositions.Position current) {
        long at = nowMillis();
        Replayed replayed;
        try {
            replayed = ask(replica.dataSource, """
                    SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,
                           (extract(epoch FROM pg_last_xact_replay_timestamp()) * 1000)::bigint""",
                    rows -> {
                        long timestamp = rows.getLong(3);
                        return new Replayed(rows.getBoolean(1), PrimaryPositions.parseLsn(rows.getString(2)),
                                rows.wasNull() ? null : timestamp);
                    });
        } catch (Exception e) {
            return new Status(replica.name, State.DOWN, null, "does not answer: " + firstLine(e));
        }
        if (!replayed.inRecovery() || replayed.lsn() < 0) {
            return new Status(replica.name, State.DOWN, null,
                    "is not a standby (pg_is_in_recovery() is false: promoted, or not a replica); not used for reads");
        }
        long lag = positions.lagMillis(current, replayed.lsn(), replayed.timestampMillis(), at);
        if (lag == PrimaryPositions.UNKNOWN) {
            return new Status(replica.name, State.LAGGING, null, "behind every primary position this server has seen");
        }
        double seconds = lag / 1000.0;
        if (lag > maxLagMillis) {
            return new Status(replica.name, State.LAGGING, seconds,
                    "lags " + seconds + " s, more than " + MAX_LAG_SETTING + " " + maxLagMillis / 1000);
        }
        return new Status(replica.name, State.UP, seconds, null);
    }

    private record Replayed(boolean inRecovery, long lsn, Long timestampMillis) {
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** One row of {@code sql} on a connection of {@code pool}, within the check's deadline. */
    private <T> T ask(javax.sql.DataSource pool, String sql, RowReader<T> reader) throws Exception {
        Future<T> answer = questions.submit(() -> {
            try (Connection connection = pool.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(CHECK_TIMEOUT_MS / 1000);
                try (ResultSet rows = statement.executeQuery(sql)) {
                    rows.next();
                    return reader.read(rows);
                }
            }
        });
        try {
            return answer.get(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new TimeoutException("no answer within " + CHECK_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void update(Replica replica, Status next) {
        Status previous = replica.status;
        replica.status = next;
        if (previous.state() != next.state()) {
            if (next.state() == State.UP) {
                LOG.info("read replica {} is up (lag {} s): reads go to it", replica.name, next.lagSeconds());
            } else {
                LOG.warn("read replica {} {}: its reads go to the primary", replica.name, SecretScrubber.scrub(next.reason()));
            }
        }
    }

    /**
     * The replica the next stale read goes to, in turn among those up; -1 for the primary (none is
     * up, or there are none). Counts the read where it goes.
     */
    int choose() {
        int count = replicas.size();
        if (count == 0) {
            return -1;
        }
        int start = count == 1 ? 0 : Math.floorMod(turn.getAndIncrement(), count);
        for (int i = 0; i < count; i++) {
            int index = (start + i) % count;
            Replica replica = replicas.get(index);
            if (replica.status.state() == State.UP) {
                increment(replica.reads);
                return index;
            }
        }
        increment(primaryReads);
        return -1;
    }

    /**
     * Whether a read that {@code failure} ended on a replica is asked again on the primary: the
     * replica could not be reached (or its pool was busy past its timeout), or cancelled the
     * statement for a recovery conflict. Any other error is the statement's, and the primary would
     * give the same.
     */
    static boolean worthAskingPrimary(Throwable failure) {
        return SqlErrors.isUnavailable(failure) || SqlErrors.isRecoveryConflict(failure);
    }

    /**
     * Replica {@code index} failed a read, which then goes to the primary: when it could not be
     * reached it is down until the next check says otherwise.
     */
    void failed(int index, Throwable failure) {
        Replica replica = replicas.get(index);
        increment(replica.fallbacks);
        if (SqlErrors.isConnectionLost(failure)) {
            update(replica, new Status(replica.name, State.DOWN, null, "failed a read: " + firstLine(failure)));
        }
    }

    Jdbi jdbi(int index) {
        return replicas.get(index).jdbi;
    }

    javax.sql.DataSource dataSource(int index) {
        return replicas.get(index).dataSource;
    }

    PgConnectOptions loopOptions(int index) {
        return replicas.get(index).loopOptions;
    }

    /** Every replica as last seen, in the order of the setting: for {@code /health/ready}. */
    public List<Status> statuses() {
        return replicas.stream().map(replica -> replica.status).toList();
    }

    private static void increment(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    private static String firstLine(Throwable e) {
        Throwable cause = e;
        // The driver's own words are the most useful: the innermost message.
        while (cause.getCause() != null && cause.getCause() != cause && cause.getCause().getMessage() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return SecretScrubber.scrub(message.lines().findFirst().orElse(message));
    }

    @Override
    public void close() {
        if (periodic != null) {
            try {
                periodic.close();
            } catch (Exception ignored) {
                // a scheduler shutting down
            }
        }
        questions.shutdownNow();
        for (Replica replica : replicas) {
            replica.dataSource.close();
        }
    }
}
