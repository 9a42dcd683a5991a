package io.chatleads.db;

import com.fasterxml.jackson.core.JsonParseException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures say the database could not be reached (answered 503) and which say something about
 * the statement (a 500, or the caller's 4xx), as the drivers raise them and however they are wrapped.
 * The drivers' real exceptions in a real outage: PostgresDatabaseOutageTest.
 */
class SqlErrorsTest {

    @Test
    void connectionFailuresOfEitherDriverAndThePoolAreUnavailable() {
        for (Throwable failure : new Throwable[] {
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"),
                new SQLException("An I/O error occurred while sending to the backend.", "08006"),
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"),
                new SQLException("FATAL: terminating connection because of crash of another server process", "57P02"),
                new SQLException("FATAL: the database system is starting up", "57P03"),
                new SQLTransientConnectionException("chatleads - Connection is not available, request timed out after 3000ms"),
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null),
                ClosedConnectionException.INSTANCE,
                new ConnectException("Connection refused"),
                new SocketException("Connection reset")}) {
            assertTrue(SqlErrors.isUnavailable(failure), failure.toString());
            // as JDBI, a future or LoopConnections wrap them
            assertTrue(SqlErrors.isUnavailable(new IllegalStateException("storing a lead failed", new CompletionException(failure))),
                    "wrapped: " + failure);
        }
    }

    @Test
    void statementFailuresAreNot() {
        for (Throwable failure : new Throwable[] {
                new SQLException("duplicate key value violates unique constraint", "23505"),
                new SQLException("canceling statement due to user request", "57014"),
                new SQLException("HikariDataSource HikariDataSource (chatleads) has been closed."),
                new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null),
                new JsonParseException(null, "Unexpected character"),
                new IllegalStateException("no status for X"),
                new IllegalStateException(new IllegalArgumentException("bad"))}) {
            assertFalse(SqlErrors.isUnavailable(failure), failure.toString());
        }
        assertFalse(SqlErrors.isUnavailable(null));
    }
}
