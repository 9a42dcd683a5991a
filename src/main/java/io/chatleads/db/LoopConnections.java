package io.chatleads.db;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The PostgreSQL connections of one event loop: vertx-pg-client connections owned by that loop, so
 * a query's answer is handled on the thread that sent it and nothing here needs a lock. A thread
 * per request blocking on JDBC doubled what a query costs the server (BENCHMARKS.md). One instance
 * per event loop, opened on that loop (from a verticle's start()) and called only there.
 *
 * <p>Single statements share one pipelined read connection ({@link #read}): many can be in flight on
 * it at once. A transaction of several statements needs a connection to itself: each
 * {@link #inTransaction} takes one of {@code writeConnections}, and transactions beyond that wait
 * in a queue on this loop. A connection the server or the network closes is dropped, and the next
 * request opens a new one; a transaction on it at that moment fails with the error that reported
 * the loss (a read is asked again once, being only a read).
 */
public final class LoopConnections {

    private static final Logger LOG = LoggerFactory.getLogger(LoopConnections.class);

    // Far above what one loop's requests put in flight at once; the prototype's value.
    private static final int PIPELINING_LIMIT = 256;

    private final Vertx vertx;
    private final Thread loop;
    private final PgConnectOptions options;
    private final int writeConnections;

    /** The read connection, open or opening; null when none is, and the next read opens one. */
    private Future<PgConnection> reader;
    private final ArrayDeque<PgConnection> idleWriters = new ArrayDeque<>();
    private final ArrayDeque<Promise<PgConnection>> waitingForWriter = new ArrayDeque<>();
    /** Write connections open now, idle or in a transaction; one leaves when its close handler runs. */
    private final Set<PgConnection> openWriters = new HashSet<>();
    /** {@link #openWriters} plus those still connecting: never more than {@link #writeConnections}. */
    private int writersOpenOrOpening;
    private boolean closed;

    private LoopConnections(Vertx vertx, PgConnectOptions options, int writeConnections) {
        this.vertx = vertx;
        this.loop = Thread.currentThread();
        this.options = options;
        this.writeConnections = writeConnections;
    }

    /**
     * Opens the read connection and the write connections on the calling event loop, which then
     * owns them: call it from a verticle's start(). Fails, with nothing left open, when a
     * connection cannot be opened, when not called on an event loop, or with fewer than one write
     * connection.
     */
    public static Future<LoopConnections> open(Vertx vertx, PgConnectOptions options, int writeConnections) {
        if (writeConnections < 1) {
            return Future.failedFuture(new IllegalArgumentException(
                    "an event loop needs at least one write connection, got " + writeConnections));
        }
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
            return Future.failedFuture(new IllegalStateException(
                    "LoopConnections.open must run on the event loop that will use them (from a verticle's start()), not on "
                            + Thread.currentThread().getName()));
        }
        LoopConnections connections = new LoopConnections(vertx,
                new PgConnectOptions(options).setPipeliningLimit(PIPELINING_LIMIT).setCachePreparedStatements(true),
                writeConnections);
        List<Future<?>> opening = new ArrayList<>();
        opening.add(connections.reader());
        for (int i = 0; i < writeConnections; i++) {
            opening.add(connections.openWriter().onSuccess(connections::releaseWriter));
        }
        return Future.all(opening)
                .<LoopConnections>map(opened -> connections)
                .recover(e -> connections.close().transform(ignored -> Future.failedFuture(e)));
    }

    /**
     * Read connections only (a read replica's, {@link LoopStaleReads}), on the calling event loop,
     * which then owns them: nothing is opened until the first {@link #read}, so a replica that is
     * down when the loop starts does not stop the loop from serving. {@link #inTransaction} fails.
     */
    static LoopConnections forReads(Vertx vertx, PgConnectOptions options) {
        if (!Context.isOnEventLoopThread()) {
            throw new IllegalStateException("LoopConnections.forReads must run on the event loop that will use them, not on "
                    + Thread.currentThread().getName());
        }
        return new LoopConnections(vertx,
                new PgConnectOptions(options).setPipeliningLimit(PIPELINING_LIMIT).setCachePreparedStatements(true), 0);
    }

    /**
     * One statement on the shared read connection. After a lost connection (a server restart, say)
     * it is asked again, once, on a new one, even before the lost one's close handler has run: it is
     * only a read.
     */
    public <T> Future<T> read(Function<SqlConnection, Future<T>> statement) {
        if (Thread.currentThread() != loop) {
            return wrongThread();
        }
        Future<PgConnection> connection = reader();
        return connection.compose(statement::apply)
                .recover(e -> {
                    if (!SqlErrors.reportsLostConnection(e)) {
                        return Future.failedFuture(e);
                    }
                    if (reader == connection) {
                        reader = null;
                    }
                    return reader().compose(statement::apply);
                });
    }

    /**
     * {@code work} in one transaction on a write connection of its own, in the shape of
     * vertx-sql-client's {@code pool.withTransaction}: committed when its future succeeds (and the
     * result then completes, so whatever follows it runs after the commit), rolled back when it
     * fails. Never asked again: a transaction whose connection was lost may have committed.
     */
    public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
        if (Thread.currentThread() != loop) {
            return wrongThread();
        }
        if (writeConnections == 0) {
            return Future.failedFuture(new IllegalStateException("these PostgreSQL connections are for reads only (a read replica's)"));
        }
        return acquireWriter().compose(connection -> transaction(connection, work));
    }

    private <T> Future<T> transaction(PgConnection connection, Function<SqlConnection, Future<T>> work) {
        // BEGIN goes out in the same flight as the work's first statement, as pgjdbc sends them: one round trip less.
        Future<?> begin = connection.query("BEGIN").execute();
        Future<T> done = work.apply(connection);
        Future<T> committed = begin.compose(begun -> done)
                .compose(result -> connection.query("COMMIT").execute().map(result));
        Promise<T> result = Promise.promise();
        committed.onComplete(outcome -> {
            if (outcome.succeeded()) {
                releaseWriter(connection);
                result.complete(outcome.result());
                return;
            }
            connection.query("ROLLBACK").execute().onComplete(rolledBack -> {
                if (rolledBack.succeeded()) {
                    releaseWriter(connection);
                } else {
                    // Broken, or in a state a ROLLBACK cannot end: no later transaction may get it.
                    connection.close();
                }
                result.fail(outcome.cause());
            });
        });
        return result.future();
    }

    /** The read connection, opened now if there is none (the first read, or after it was lost). */
    private Future<PgConnection> reader() {
        if (closed) {
            return closedFailure();
        }
        if (reader != null) {
            return reader;
        }
        Future<PgConnection> opening = PgConnector.connect(vertx, options).recover(this::cannotConnect);
        reader = opening;
        opening.onComplete(done -> {
            if (done.failed()) {
                if (reader == opening) {
                    reader = null;
                }
                return;
            }
            PgConnection connection = done.result();
            if (closed) {
                connection.close();
                return;
            }
            connection.exceptionHandler(LoopConnections::logConnectionError);
            connection.closeHandler(lost -> {
                if (reader == opening) {
                    reader = null;
                }
            });
        });
        return opening;
    }

    // ---- The write connections: touched only on this loop's thread, so the queues need no lock ----

    private Future<PgConnection> acquireWriter() {
        if (closed) {
            return closedFailure();
        }
        PgConnection idle = idleWriters.poll();
        if (idle != null) {
            return Future.succeededFuture(idle);
        }
        Promise<PgConnection> waiting = Promise.promise();
        waitingForWriter.add(waiting);
        serveWaiting();
        return waiting.future();
    }

    private void releaseWriter(PgConnection connection) {
        if (!openWriters.contains(connection)) {
            return; // closed while in use; its close handler has counted it out
        }
        if (closed) {
            connection.close();
            return;
        }
        idleWriters.add(connection);
        serveWaiting();
    }

    /** Hands idle connections to waiting transactions, and opens new ones while fewer than allowed are open. */
    private void serveWaiting() {
        while (!waitingForWriter.isEmpty()) {
            PgConnection idle = idleWriters.poll();
            if (idle != null) {
                waitingForWriter.poll().complete(idle);
            } else if (writersOpenOrOpening < writeConnections) {
                Promise<PgConnection> waiting = waitingForWriter.poll();
                // A failure goes to this one transaction only; the next waiting one tries anew.
                openWriter().onComplete(waiting);
            } else {
                return;
            }
        }
    }

    private Future<PgConnection> openWriter() {
        writersOpenOrOpening++;
        return PgConnector.connect(vertx, options)
                .recover(e -> {
                    writersOpenOrOpening--;
                    serveWaiting();
                    return cannotConnect(e);
                })
                .compose(connection -> {
                    openWriters.add(connection);
                    connection.exceptionHandler(LoopConnections::logConnectionError);
                    connection.closeHandler(lost -> writerClosed(connection));
                    if (closed) {
                        connection.close();
                        return closedFailure();
                    }
                    return Future.succeededFuture(connection);
                });
    }

    private void writerClosed(PgConnection connection) {
        if (openWriters.remove(connection)) {
            idleWriters.remove(connection);
            writersOpenOrOpening--;
            serveWaiting();
        }
    }

    /**
     * Closes every connection. Transactions waiting for a connection fail; those under way fail
     * with their connection, so stop sending requests here first.
     */
    public Future<Void> close() {
        closed = true;
        for (Promise<PgConnection> waiting; (waiting = waitingForWriter.poll()) != null; ) {
            waiting.fail(closedException());
        }
        List<Future<?>> closes = new ArrayList<>();
        if (reader != null) {
            closes.add(reader.compose(PgConnection::close));
            reader = null;
        }
        for (PgConnection connection : List.copyOf(openWriters)) {
            closes.add(connection.close());
        }
        idleWriters.clear();
        // A connection that fails to close cleanly is closed all the same.
        return Future.join(closes).otherwiseEmpty().mapEmpty();
    }

    /** An error of the connection itself (the server ending it, a reset); one line, as it is expected on a restart. */
    private static void logConnectionError(Throwable error) {
        LOG.warn("a PostgreSQL connection of event loop {} failed; the next request opens a new one: {}",
                Thread.currentThread().getName(), error.toString());
    }

    private <T> Future<T> cannotConnect(Throwable cause) {
        return Future.failedFuture(new IllegalStateException("cannot connect to PostgreSQL at " + options.getHost() + ":"
                + options.getPort() + "/" + options.getDatabase() + ": " + cause.getMessage(), cause));
    }

    private static <T> Future<T> closedFailure() {
        return Future.failedFuture(closedException());
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("the event loop's PostgreSQL connections were closed");
    }

    private <T> Future<T> wrongThread() {
        return Future.failedFuture(new IllegalStateException("these PostgreSQL connections belong to event loop "
                + loop.getName() + " and were used from " + Thread.currentThread().getName() + "; each event loop opens its own"));
    }
}
