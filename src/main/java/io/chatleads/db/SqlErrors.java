package io.chatleads.db;

import io.vertx.pgclient.PgException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/** Reads what a database error means, whichever database raised it and however it was wrapped. */
public final class SqlErrors {

    private static final String POSTGRES_FOREIGN_KEY_VIOLATION = "23503";

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
}
