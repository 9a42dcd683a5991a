package io.chatleads.lead;

import io.chatleads.Chatleads;
import io.chatleads.Settings;
import io.chatleads.db.PgConnector;
import io.chatleads.db.PositionalSql;
import io.chatleads.db.PostgresConnectOptions;
import io.chatleads.lead.LeadRepository.PageStatement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The get-leads page and lead capture on PostgreSQL without a blocking thread: vertx-pg-client
 * connections owned by one event loop, so a query's answer is handled on the thread that sent it
 * and nothing here needs a lock. A thread per request blocking on JDBC doubled what a query costs
 * the server (BENCHMARKS.md). One instance per event loop, connected on
 * that loop (from a verticle's start()) and called only there; everything else stays on the JDBC
 * repositories.
 *
 * <p>Pages share one pipelined read connection: they are single statements, so many can be in
 * flight on it at once. A capture is a transaction of several statements, which needs a connection
 * to itself: each takes one of {@code writeConnections}, and captures beyond that wait in a queue
 * on this loop. A connection the server or the network closes is dropped, and the next request
 * opens a new one; a capture on it at that moment fails with the error that reported the loss (a
 * page is asked again once, being only a read).
 */
public final class EventLoopLeads {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopLeads.class);

    // Far above what one loop's requests put in flight at once; the prototype's value.
    private static final int PIPELINING_LIMIT = 256;
    private static final String INSERT_NUMBERED_SQL = PositionalSql.numbered(LeadRepository.INSERT_SQL);

    /**
     * What the instances of all event loops share, built once: call {@link #connect(Vertx)} from each
     * loop's verticle start(). {@code listeners} run in each lead's transaction, as
     * {@link LeadRepository}'s do: {@link Chatleads#eventLoopLeadListeners()}.
     */
    public record Factory(PgConnectOptions options, int writeConnections, List<EventLoopLeadListener> listeners) {

        public Factory {
            if (writeConnections < 1) {
                throw new IllegalArgumentException("an event loop needs at least one write connection, got " + writeConnections);
            }
            options = new PgConnectOptions(options).setPipeliningLimit(PIPELINING_LIMIT).setCachePreparedStatements(true);
            listeners = List.copyOf(listeners);
        }

        /** For the database of {@code settings}, with the webhook outbox and lead counter of {@code app}. */
        public static Factory of(Settings settings, Chatleads app, int writeConnections) {
            return new Factory(PostgresConnectOptions.of(settings), writeConnections, app.eventLoopLeadListeners());
        }

        /**
         * Opens the read connection and the write connections on the calling event loop, which then
         * owns them: call it from a verticle's start(). Fails, with nothing left open, when a
         * connection cannot be opened.
         */
        public Future<EventLoopLeads> connect(Vertx vertx) {
            Context context = Vertx.currentContext();
            if (context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
                return Future.failedFuture(new IllegalStateException(
                        "EventLoopLeads.connect must run on the event loop that will use it (from a verticle's start()), not on "
                                + Thread.currentThread().getName()));
            }
            EventLoopLeads leads = new EventLoopLeads(vertx, options, writeConnections, listeners);
            List<Future<?>> opening = new ArrayList<>();
            opening.add(leads.reader());
            for (int i = 0; i < writeConnections; i++) {
                opening.add(leads.openWriter().onSuccess(leads::releaseWriter));
            }
            return Future.all(opening)
                    .<EventLoopLeads>map(opened -> leads)
                    .recover(e -> leads.close().transform(ignored -> Future.failedFuture(e)));
        }
    }

    private final Vertx vertx;
    private final Thread loop;
    private final PgConnectOptions options;
    private final int writeConnections;
    private final List<EventLoopLeadListener> listeners;

    /** The read connection, open or opening; null when none is, and the next page opens one. */
    private Future<PgConnection> reader;
    private final ArrayDeque<PgConnection> idleWriters = new ArrayDeque<>();
    private final ArrayDeque<Promise<PgConnection>> waitingForWriter = new ArrayDeque<>();
    /** Write connections open now, idle or in a transaction; one leaves when its close handler runs. */
    private final Set<PgConnection> openWriters = new HashSet<>();
    /** {@link #openWriters} plus those still connecting: never more than {@link #writeConnections}. */
    private int writersOpenOrOpening;
    private boolean closed;

    private EventLoopLeads(Vertx vertx, PgConnectOptions options, int writeConnections,
                           List<EventLoopLeadListener> listeners) {
        this.vertx = vertx;
        this.loop = Thread.currentThread();
        this.options = options;
        this.writeConnections = writeConnections;
        this.listeners = listeners;
    }

    /** {@link Factory#connect} for one loop's own settings; a bad setting fails the future. */
    public static Future<EventLoopLeads> connect(Vertx vertx, PgConnectOptions options, int writeConnections,
                                                 List<EventLoopLeadListener> listeners) {
        Factory factory;
        try {
            factory = new Factory(options, writeConnections, listeners);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return factory.connect(vertx);
    }

    /**
     * Up to {@code size + 1} leads of the page, exactly as {@link LeadRepository#pageWithLookahead}
     * returns them: the same query, chosen the same way.
     */
    public Future<List<Lead>> pageWithLookahead(LeadPageQuery query) {
        if (Thread.currentThread() != loop) {
            return wrongThread();
        }
        PageStatement page = LeadRepository.pageWithLookaheadStatement(query);
        String sql = page.sql().numberedText();
        Tuple values = page.sql().tuple(page.values());
        Future<PgConnection> connection = reader();
        return connection.compose(open -> open.preparedQuery(sql).execute(values))
                .recover(e -> {
                    if (!lostConnection(e)) {
                        return Future.failedFuture(e);
                    }
                    // Only a read: after a lost connection (a server restart, say) it is safe to ask
                    // again, once, on a new one, even before the lost one's close handler has run.
                    if (reader == connection) {
                        reader = null;
                    }
                    return reader().compose(open -> open.preparedQuery(sql).execute(values));
                })
                .map(EventLoopLeads::leads);
    }

    /**
     * Whether a statement failed because its connection went away rather than because of the
     * statement: what arrives depends on when the loss is seen (a reset socket, the server's own
     * "terminating connection" error, or the client's notice that the connection is closed).
     */
    private static boolean lostConnection(Throwable failure) {
        if (failure instanceof ClosedConnectionException || failure instanceof IOException) {
            return true;
        }
        // Class 08, connection exception; 57P, the server shutting down or ending the session.
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"));
    }

    private static List<Lead> leads(RowSet<Row> rows) {
        List<Lead> leads = new ArrayList<>(rows.size());
        // By position, in the page queries' SELECT order: a look-up by name per cell showed in the profile.
        for (Row row : rows) {
            leads.add(new Lead(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                    row.getString(5), row.getString(6), Instant.ofEpochMilli(row.getLong(7))));
        }
        return leads;
    }

    /**
     * Stores the lead as {@link LeadRepository#create} does: in one transaction with what every
     * listener writes (the webhook outbox), whose after-commit work (waking the webhook worker,
     * counting the lead) runs only once it has committed. A chatbot deleted meanwhile fails it with
     * a foreign-key violation that {@link io.chatleads.db.SqlErrors#isForeignKeyViolation} recognises.
     */
    public Future<Lead> create(NewLead lead) {
        if (Thread.currentThread() != loop) {
            return wrongThread();
        }
        return acquireWriter().compose(connection -> store(connection, lead));
    }

    private Future<Lead> store(PgConnection connection, NewLead lead) {
        List<Runnable> afterCommit = new ArrayList<>(listeners.size());
        // BEGIN goes out in the same flight as the INSERT, as pgjdbc sends them: one round trip less.
        Future<?> begin = connection.query("BEGIN").execute();
        Future<Lead> insert = connection.preparedQuery(INSERT_NUMBERED_SQL)
                .execute(Tuple.wrap(new Object[] {lead.chatbotId(), lead.ownerId(), lead.name(), lead.email(),
                        lead.phone(), lead.conversationId(), lead.createdAt().toEpochMilli()}))
                .map(inserted -> LeadRepository.stored(inserted.iterator().next().getLong(0), lead));
        Future<Lead> committed = begin.compose(begun -> insert)
                .compose(created -> notifyListeners(connection, created, afterCommit).map(created))
                .compose(created -> connection.query("COMMIT").execute().map(created));
        Promise<Lead> result = Promise.promise();
        committed.onComplete(done -> {
            if (done.succeeded()) {
                releaseWriter(connection);
                try {
                    afterCommit.forEach(Runnable::run);
                } finally {
                    result.complete(done.result());
                }
                return;
            }
            connection.query("ROLLBACK").execute().onComplete(rolledBack -> {
                if (rolledBack.succeeded()) {
                    releaseWriter(connection);
                } else {
                    // Broken, or in a state a ROLLBACK cannot end: no later transaction may get it.
                    connection.close();
                }
                result.fail(done.cause());
            });
        });
        return result.future();
    }

    private Future<Void> notifyListeners(PgConnection transaction, Lead created, List<Runnable> afterCommit) {
        Future<Void> notified = Future.succeededFuture();
        for (EventLoopLeadListener listener : listeners) {
            notified = notified.compose(previous -> listener.leadCreated(transaction, created, afterCommit::add));
        }
        return notified;
    }

    /** The read connection, opened now if there is none (the first page, or after it was lost). */
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
            connection.exceptionHandler(EventLoopLeads::logConnectionError);
            connection.closeHandler(lost -> {
                if (reader == opening) {
                    reader = null;
                }
            });
        });
        return opening;
    }

    // The write connections: touched only on this loop's thread, so the queues need no lock.

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
                    connection.exceptionHandler(EventLoopLeads::logConnectionError);
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
     * Closes every connection. Captures waiting for a connection fail; those in a transaction fail
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
        return new IllegalStateException("EventLoopLeads was closed");
    }

    private <T> Future<T> wrongThread() {
        return Future.failedFuture(new IllegalStateException("EventLoopLeads belongs to event loop " + loop.getName()
                + " and was called from " + Thread.currentThread().getName() + "; each event loop connects its own"));
    }
}
