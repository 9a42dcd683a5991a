package io.chatleads.ops;

import io.chatleads.Settings;
import io.chatleads.db.Database;
import io.chatleads.db.ReadReplicas;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness: the database answers within a short timeout and every migration this build ships is
 * applied. A load balancer stops sending traffic to a server whose {@code /health/ready} says 503.
 */
public final class Health implements AutoCloseable {

    /** What {@code /health/ready} answers; {@code reason} is null when ready. */
    public record Readiness(boolean ready, String reason) {
    }

    private final Database database;
    private final ReadReplicas replicas;
    private final long timeoutMillis;
    // The check runs on its own thread so that a hung connection (a stalled network, a pool with no
    // free connection) costs the probe only the timeout, not a request thread for as long as it hangs.
    private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "chatleads-health");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean shuttingDown;

    /** How long a readiness check waits for the database. */
    public static int timeoutMillis(Settings settings) {
        return settings.integer("CHATLEADS_HEALTH_TIMEOUT_MILLIS", 2000, 100, 60_000);
    }

    public Health(Database database, long timeoutMillis) {
        this(database, ReadReplicas.none(database), timeoutMillis);
    }

    /** {@code replicas}: shown with readiness, which they never decide (the primary serves their reads when they are away). */
    public Health(Database database, ReadReplicas replicas, long timeoutMillis) {
        this.database = database;
        this.replicas = replicas;
        this.timeoutMillis = timeoutMillis;
    }

    /** Each read replica's state and lag as its last check saw them (from memory: no query); empty without replicas. */
    public List<ReadReplicas.Status> replicas() {
        return replicas.statuses();
    }

    /**
     * Resolves the shipped migration versions (a classpath scan and a schema history query, which the
     * database remembers) on the check thread, so neither start-up nor the first probe waits for it.
     * Call once the database is open.
     */
    public void resolveExpectedVersionsInBackground() {
        try {
            checks.execute(() -> {
                try {
                    database.shippedMigrationVersions();
                } catch (RuntimeException e) {
                    // the first check resolves them again, and reports what fails
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed already
        }
    }

    /** From now on readiness answers 503, so a load balancer drains this server before it stops. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    public Readiness readiness() {
        if (shuttingDown) {
            return new Readiness(false, "shutting down");
        }
        CompletableFuture<Readiness> check = CompletableFuture.supplyAsync(this::check, checks);
        try {
            return check.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            return new Readiness(false, "database did not answer within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            return new Readiness(false, "database check failed: " + firstLine(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Readiness(false, "interrupted");
        }
    }

    private Readiness check() {
        Set<String> expectedVersions;
        try {
            // before taking a connection: resolving them the first time takes one of its own
            expectedVersions = Set.copyOf(database.shippedMigrationVersions());
        } catch (Exception e) {
            return new Readiness(false, "database check failed: " + firstLine(e));
        }
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, (timeoutMillis + 999) / 1000));
            Set<String> applied = new HashSet<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
                while (rows.next()) {
                    applied.add(rows.getString(1));
                }
            }
            Set<String> missing = new HashSet<>(expectedVersions);
            missing.removeAll(applied);
            if (!missing.isEmpty()) {
                return new Readiness(false, "migrations not applied: " + List.copyOf(new java.util.TreeSet<>(missing)));
            }
            return new Readiness(true, null);
        } catch (Exception e) {
            return new Readiness(false, "database check failed: " + firstLine(e));
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
