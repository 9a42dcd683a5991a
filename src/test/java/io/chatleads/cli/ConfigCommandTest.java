package io.chatleads.cli;

import io.chatleads.Settings;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatleadsCommand.run(args, () -> Settings.from(env),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsEverySettingWithSecretsMasked() {
        Map<String, String> env = new HashMap<>();
        env.put("CHATLEADS_DB_URL", "jdbc:postgresql://db.internal:5432/leads?user=app&password=url-s3cret&ssl=true");
        env.put("CHATLEADS_DB_PASSWORD", "env-s3cret");
        env.put("CHATLEADS_LOG_FORMAT", "json");
        env.put("CHATLEADS_TYPO_SETTING", "typo-s3cret");
        Run run = run(env, "config");
        assertEquals(0, run.status(), run.err());
        assertFalse(run.out().contains("s3cret"), run.out());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.contains("CHATLEADS_DB_URL=jdbc:postgresql://db.internal:5432/leads?user=app&password=****&ssl=true"), run.out());
        assertTrue(lines.contains("CHATLEADS_DB_PASSWORD=****"), run.out());
        assertTrue(lines.contains("CHATLEADS_LOG_FORMAT=json"), run.out());
        assertTrue(lines.contains("PORT=8080 (default)"), run.out());
        assertTrue(lines.contains("CHATLEADS_TYPO_SETTING=(set, but not a chatleads setting)"), run.out());
        for (Settings.Definition definition : Settings.definitions()) {
            assertTrue(run.out().contains(definition.name() + "="), definition.name());
        }
    }

    /** The documented pool sizes: 16 on PostgreSQL (measured, BENCHMARKS.md), 4 on SQLite, and an explicit value wins. */
    @Test
    void poolSizeDefaultsPerDatabase() {
        assertEquals(16, Settings.from(Map.of("CHATLEADS_DB_URL", "jdbc:postgresql://db:5432/leads")).dbPoolSize());
        assertEquals(4, Settings.from(Map.of("CHATLEADS_DB_URL", "jdbc:sqlite:./data/chatleads.db")).dbPoolSize());
        assertEquals(4, Settings.from(Map.of()).dbPoolSize());
        assertEquals(7, Settings.from(Map.of("CHATLEADS_DB_URL", "jdbc:postgresql://db:5432/leads",
                "CHATLEADS_DB_POOL_SIZE", "7")).dbPoolSize());
        Run run = run(Map.of("CHATLEADS_DB_URL", "jdbc:postgresql://db:5432/leads"), "config");
        assertTrue(run.out().lines().toList().contains("CHATLEADS_DB_POOL_SIZE=4 (SQLite), 16 (PostgreSQL) (default)"), run.out());
    }

    @Test
    void passwordsInUserInfoAreMaskedToo() {
        assertEquals("jdbc:postgresql://app:****@db:5432/x", Settings.redactUrl("jdbc:postgresql://app:pw@db:5432/x"));
        assertEquals("jdbc:sqlite:./data/chatleads.db", Settings.redactUrl("jdbc:sqlite:./data/chatleads.db"));
    }

    @Test
    void aBadSettingIsOneLineAndStatusOne() {
        Run run = run(Map.of("CHATLEADS_HTTP_MAX_BODY_BYTES", "lots"), "config");
        assertEquals(1, run.status());
        assertEquals("error: CHATLEADS_HTTP_MAX_BODY_BYTES must be an integer from 1024 to 104857600, got 'lots'\n", run.err());
        assertEquals("", run.out());
    }

    /**
     * config refuses every bad value that serve would refuse: it used to check only the HTTP limits,
     * the log format and the management port, and printed its table for the rest.
     */
    @Test
    void refusesEveryBadSettingThatServeRefuses() {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("CHATLEADS_API_RATE_LIMIT", "-1");
        bad.put("CHATLEADS_API_RATE_WINDOW_SECONDS", "0");
        bad.put("CHATLEADS_WIDGET_RATE_LIMIT", "many");
        bad.put("CHATLEADS_WIDGET_RATE_WINDOW_SECONDS", "86401");
        bad.put("CHATLEADS_TRUST_X_FORWARDED_FOR", "maybe");
        bad.put("CHATLEADS_CACHE_TTL_MS", "5001");
        bad.put("CHATLEADS_HEALTH_TIMEOUT_MILLIS", "99");
        bad.put("CHATLEADS_IDEMPOTENCY_KEY_HOURS", "0");
        bad.put("CHATLEADS_WEBHOOK_ALLOW_PRIVATE", "yes");
        bad.put("CHATLEADS_WEBHOOK_CONCURRENCY", "257");
        bad.put("CHATLEADS_WEBHOOK_POLL_MS", "9");
        bad.put("CHATLEADS_WEBHOOK_RETRY_BASE_MS", "0");
        bad.put("CHATLEADS_WEBHOOK_MAX_ATTEMPTS", "101");
        bad.put("CHATLEADS_WEBHOOK_LEASE_MS", "1000");
        bad.put("CHATLEADS_WEBHOOK_SECRET_KEY", "abc");
        bad.put("CHATLEADS_BENCH_ENDPOINTS", "on");
        bad.put("CHATLEADS_PUBLIC_URL", "leads.example.com");
        for (Map.Entry<String, String> setting : bad.entrySet()) {
            Run run = run(Map.of(setting.getKey(), setting.getValue()), "config");
            assertEquals(1, run.status(), setting + ": " + run.err() + run.out());
            assertTrue(run.err().startsWith("error: " + setting.getKey() + " must "), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertEquals("", run.out());
        }
    }

    /** docs/operations.md's table has a row for every setting, and every setting read is defined. */
    @Test
    void everySettingIsDefinedAndDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs", "operations.md"));
        for (Settings.Definition definition : Settings.definitions()) {
            assertTrue(doc.contains("| `" + definition.name() + "` |"), "docs/operations.md has no row for " + definition.name());
        }
        // start a server so every feature reads its settings, then compare
        try (TestDatabase database = TestDatabase.sqlite(); TestServer server = TestServer.start(database)) {
            server.get("/health/ready", null);
        }
        List<String> defined = Settings.definitions().stream().map(Settings.Definition::name).toList();
        for (String name : Settings.namesRead()) {
            assertTrue(defined.contains(name), name + " is read but not in Settings' definitions (add one line there)");
        }
    }
}
