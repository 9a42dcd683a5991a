package io.chatleads.db;

/**
 * Which database a {@link Database} is, and where its migrations live. The places that differ by
 * database in code branch on this or on the connection itself: the pool's settings
 * ({@link Database}), the event loops' own PostgreSQL connections ({@code app.Server}), the webhook
 * claim query ({@code webhook.WebhookRepository}) and COPY for bulk writes ({@code lead.PostgresCopy});
 * everything else that differs lives in the per-dialect migration folders.
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
