package io.chatleads.db;

import io.chatleads.error.Unavailable;
import io.netty.channel.unix.Errors.NativeIoException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Reads what a database error means, whichever database raised it and however it was wrapped. */
public final class SqlErrors {

    private static final String POSTGRES_FOREIGN_KEY_VIOLATION = "23503";
    /** Bounds the walk along causes, for a chain that loops back on itself. */
    private static final int MAX_CAUSES = 32;

    private SqlErrors() {
    }

    /** Whether a row referred to another that does not exist (or no longer does). */
    public static boolean isForeignKeyViolation(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite) {
                return sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY
                        || String.valueOf(sqlite.getMessage()).contains("FOREIGN KEY constraint failed");
            }
            if (cause instanceof SQLException sql && POSTGRES_FOREIGN_KEY_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            // vertx-pg-client's error, from a lead stored on an event loop (EventLoopLeads)
            if (cause instanceof PgException pg && POSTGRES_FOREIGN_KEY_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code failure}, or anything it wraps (JDBI's exceptions, a future's,
     * {@link LoopConnections}' "cannot connect"), says the database could not be reached rather than
     * that the statement was wrong: the one place that decides which failures are
     * {@link Unavailable}, answered 503. Null is not.
     */
    public static boolean isUnavailable(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof Unavailable || reportsLostConnection(cause)
                    // HikariCP: no connection free (or none could be opened) within connectionTimeout
                    || cause instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} or anything it wraps says a connection was lost or could not be made
     * ({@link #reportsLostConnection}): the server at the other end is away, rather than a pool
     * being busy (a pool timeout counts only when it wraps such a cause, as HikariCP's does when it
     * could not connect).
     */
    public static boolean isConnectionLost(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (reportsLostConnection(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a standby cancelled the statement because replaying the primary's changes needed what
     * it held ("canceling statement due to conflict with recovery"): SQLSTATE 40001, or 40P01 for
     * a buffer-pin deadlock. Asked again on the primary, the statement runs.
     */
    public static boolean isRecoveryConflict(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            String state = cause instanceof SQLException sql ? sql.getSQLState()
                    : cause instanceof PgException pg ? pg.getSqlState() : null;
            if ("40001".equals(state) || "40P01".equals(state)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this one exception (not its causes) says the connection is gone or could not be
     * made, rather than anything about a statement. What arrives depends on the driver and on when
     * the loss is seen: pgjdbc's or the server's SQLSTATE, vertx-pg-client's notice that its
     * connection is closed, or the socket's own error (refused, reset, timed out).
     */
    static boolean reportsLostConnection(Throwable failure) {
        if (failure instanceof ClosedConnectionException
                || failure instanceof SocketException // ConnectException (refused) and Netty's, resets on NIO
                || failure instanceof SocketTimeoutException
                || failure instanceof ClosedChannelException
                || failure instanceof NativeIoException) { // resets and refusals on the epoll transport
            return true;
        }
        String state = failure instanceof SQLException sql ? sql.getSQLState()
                : failure instanceof PgException pg ? pg.getSqlState() : null;
        return state != null && (state.startsWith("08") || isShutdownOrStartup(state));
    }

    /**
     * Class 08, connection exception, is handled by the caller; these are class 57's: 57P01
     * admin_shutdown (a fast shutdown ending the session), 57P02 crash_shutdown, 57P03
     * cannot_connect_now (starting up, or in recovery). 57014 (a statement cancelled) is not among
     * them: that is about the statement.
     */
    private static boolean isShutdownOrStartup(String state) {
        return state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }
}
