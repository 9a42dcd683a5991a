package io.chatleads.db;

import io.chatleads.Settings;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Servers starting at once on one empty PostgreSQL database, each with a pool of one connection:
 * Flyway's session-level advisory lock lets one migrate while the others wait, then they find
 * every migration applied. Each version is in the schema history once.
 */
class PostgresConcurrentMigrationTest {

    private static final int SERVERS = 3;

    @Test
    void simultaneousStartsWithOnePooledConnectionEachMigrateOnce() throws Exception {
        try (TestDatabase empty = TestDatabase.postgres()) {
            Map<String, String> env = empty.env();
            env.put("CHATLEADS_DB_POOL_SIZE", "1");
            Settings settings = Settings.from(env);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Database>> opening = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return Database.open(settings);
                }, task -> new Thread(task, "migrating-server").start()));
            }
            go.countDown();
            List<Database> opened = new ArrayList<>();
            try {
                for (CompletableFuture<Database> database : opening) {
                    opened.add(database.join());
                }
                List<String> shipped = opened.get(0).shippedMigrationVersions();
                assertTrue(!shipped.isEmpty(), "migrations are shipped");
                try (Connection connection = opened.get(0).dataSource().getConnection();
                     Statement statement = connection.createStatement();
                     ResultSet applied = statement.executeQuery("SELECT count(*), count(DISTINCT version) FROM flyway_schema_history "
                             + "WHERE success AND version IS NOT NULL")) {
                    applied.next();
                    assertEquals(shipped.size(), applied.getInt(1), "each migration applied once");
                    assertEquals(shipped.size(), applied.getInt(2));
                }
            } finally {
                opened.forEach(Database::close);
            }
        }
    }
}
