package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chatleads dev seed}: the benchmark data generator, small, on each database. */
abstract class AbstractDevSeedTest extends DatabaseTestBase {

    private int run(String... args) {
        return run(database, args);
    }

    private static int run(TestDatabase into, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatleadsCommand.run(args, into::settings,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (status != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return status;
    }

    private long count(String sql) {
        return app.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void seedsOwnersChatbotsKeysAndLeadsAndWritesUsableKeys() throws IOException {
        Path keys = Files.createTempDirectory("seed").resolve("keys.txt");
        assertEquals(0, run("dev", "seed", "--owners", "3", "--chatbots", "7", "--leads", "2503",
                "--big-chatbot-leads", "1000", "--keys-file", keys.toString()));
        assertEquals(3, count("SELECT count(*) FROM owners"));
        assertEquals(7, count("SELECT count(*) FROM chatbots"));
        assertEquals(3, count("SELECT count(*) FROM api_keys"));
        assertEquals(2503, count("SELECT count(*) FROM leads"));
        assertEquals(1000, count("SELECT max(n) FROM (SELECT count(*) AS n FROM leads GROUP BY chatbot_id) c"));
        // Every lead belongs to its chatbot's owner, within the last two years.
        assertEquals(0, count("SELECT count(*) FROM leads l JOIN chatbots c ON c.id = l.chatbot_id WHERE c.owner_id <> l.owner_id"));
        assertEquals(0, count("SELECT count(*) FROM leads WHERE created_at > " + System.currentTimeMillis()
                + " OR created_at < " + (System.currentTimeMillis() - 731L * 86_400_000)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));

        List<String[]> rows = Files.readAllLines(keys).stream()
                .filter(line -> !line.startsWith("#")).map(line -> line.split(" ")).toList();
        assertEquals(7, rows.size());
        assertEquals(1, rows.stream().filter(r -> r[0].equals("big")).count());
        long total = 0;
        for (String[] row : rows) {
            String ownerOfKey = java.util.Objects.requireNonNull(app.authenticator().authenticate(row[2]).join(), "a live key").ownerId();
            assertTrue(app.chatbots().isOwnedBy(row[1], ownerOfKey), "each line's key owns its chatbot");
            assertEquals(Long.parseLong(row[3]), count("SELECT count(*) FROM leads WHERE chatbot_id = '" + row[1] + "'"));
            total += Long.parseLong(row[3]);
        }
        assertEquals(2503, total);

        // Never into a database that has data.
        assertEquals(2, run("dev", "seed", "--owners", "1", "--chatbots", "1", "--leads", "1",
                "--keys-file", keys.toString()));
        assertEquals(3, count("SELECT count(*) FROM owners"));
    }

    @Test
    void daysBoundTheSpreadAndImpossibleCountsAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path keys = Files.createTempDirectory("seed").resolve("keys.txt");
        try (TestDatabase fresh = TestDatabase.create(kind()); Chatleads seeded = fresh.open()) {
            assertEquals(2, run(fresh, "dev", "seed", "--days", "0", "--keys-file", keys.toString()));
            assertEquals(2, run(fresh, "dev", "seed", "--leads", "5", "--big-chatbot-leads", "6", "--keys-file", keys.toString()));
            assertEquals(2, run(fresh, "dev", "seed", "--chatbots", "1", "--leads", "5", "--big-chatbot-leads", "4",
                    "--keys-file", keys.toString()));
            long before = System.currentTimeMillis();
            assertEquals(0, run(fresh, "dev", "seed", "--owners", "1", "--chatbots", "2", "--leads", "500", "--days", "3",
                    "--keys-file", keys.toString()));
            long after = System.currentTimeMillis();
            long[] range = seeded.database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT min(created_at) AS lo, max(created_at) AS hi, count(*) AS n FROM leads")
                    .map((rs, ctx) -> new long[]{rs.getLong("lo"), rs.getLong("hi"), rs.getLong("n")}).one());
            assertEquals(500, range[2]);
            assertTrue(range[0] >= before - 3 * 86_400_000L && range[1] <= after, "within the last 3 days");
            assertTrue(range[1] - range[0] > 86_400_000L, "spread over the days, not bunched at one moment");
        }
    }

    @Test
    void theSameRandomSeedGivesTheSameLeadsAndAnotherSeedOthers() throws IOException {
        Path keys = Files.createTempDirectory("seed").resolve("keys.txt");
        try (TestDatabase first = TestDatabase.create(kind());
             TestDatabase again = TestDatabase.create(kind());
             TestDatabase other = TestDatabase.create(kind())) {
            for (TestDatabase into : List.of(first, again)) {
                assertEquals(0, run(into, "dev", "seed", "--owners", "1", "--chatbots", "2", "--leads", "300",
                        "--random-seed", "7", "--keys-file", keys.toString()));
            }
            assertEquals(0, run(other, "dev", "seed", "--owners", "1", "--chatbots", "2", "--leads", "300",
                    "--random-seed", "8", "--keys-file", keys.toString()));

            List<String> seeded = randomParts(first);
            assertEquals(300, seeded.size());
            assertEquals(seeded, randomParts(again));
            assertNotEquals(seeded, randomParts(other));
        }
    }

    /**
     * What the seed decides, per lead in order of creation: its phone or none, and its place in
     * time among the others (created_at itself counts back from the moment of the run).
     */
    private static List<String> randomParts(TestDatabase seeded) {
        try (Chatleads app = seeded.open()) {
            return app.database().jdbi().withHandle(h -> h.createQuery("""
                            SELECT email, coalesce(phone, '-') AS phone,
                                   rank() OVER (ORDER BY created_at, email) AS place
                            FROM leads ORDER BY id""")
                    .map((rs, ctx) -> rs.getString("email") + " " + rs.getString("phone") + " " + rs.getLong("place"))
                    .list());
        }
    }
}
