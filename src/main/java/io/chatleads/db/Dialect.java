package io.chatleads.db;

/**
 * The one seam between SQLite and PostgreSQL in code. Everything else that differs lives in the
 * per-dialect migration folders.
 */
public enum Dialect {
    SQLITE("classpath:db/migration/sqlite"),
    POSTGRESQL("classpath:db/migration/postgresql");

    private final String migrationLocation;

    Dialect(String migrationLocation) {
        this.migrationLocation = migrationLocation;
    }

    public String migrationLocation() {
        return migrationLocation;
    }

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL: " + jdbcUrl);
    }
}
