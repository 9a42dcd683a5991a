package io.chatleads.lead;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FTS5 trigram table leads_search (sqlite/V15) on a real SQLite file: it holds exactly the
 * leads table after every way leads come and go (capture, import, erasure, retention, a deleted
 * chatbot), which FTS5's own integrity check compares entry by entry; and the search reads it.
 */
class SqliteLeadSearchIndexTest extends DatabaseTestBase {

    private static final Instant AT = Instant.parse("2024-03-01T00:00:00Z");

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }

    private Jdbi jdbi() {
        return app.database().jdbi();
    }

    private Chatbot chatbot() {
        Owner owner = app.owners().create("fts-" + UUID.randomUUID() + "@example.com");
        return app.chatbots().create(owner.id(), "fts");
    }

    /** A name no other lead has, so that a MATCH on it finds only that lead. */
    private static String unique() {
        return "u" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Throws unless the index holds exactly what leads holds: FTS5 compares its entries with the content table's. */
    private void assertIndexExact() {
        jdbi().useHandle(h -> h.execute("INSERT INTO leads_search (leads_search, rank) VALUES ('integrity-check', 1)"));
    }

    /** The rowids the index itself gives for a substring, without reading leads. */
    private List<Long> indexed(String text) {
        return jdbi().withHandle(h -> h.createQuery("SELECT rowid FROM leads_search WHERE leads_search MATCH :m ORDER BY rowid")
                .bind("m", "\"" + text + "\"").mapTo(Long.class).list());
    }

    private List<Long> found(Chatbot chatbot, String term, LeadSearch.Path path) {
        return new LeadSearch(app.staleReads(), app.database().dialect())
                .page(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, term, null, 50, path)
                .leads().stream().map(Lead::id).toList();
    }

    @Test
    void theIntegrityCheckCatchesAnIndexThatMissesALead() {
        Chatbot chatbot = chatbot();
        String name = unique();
        Lead lead = app.leads().create(new NewLead(chatbot.id(), chatbot.ownerId(), name, null, null, null, AT));
        assertIndexExact();
        // Take the lead out of the index only, as a write that bypassed the triggers would leave it.
        jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO leads_search (leads_search, rowid, name, email, phone)
                        SELECT 'delete', id, name, email, phone FROM leads WHERE id = :id""")
                .bind("id", lead.id()).execute());
        try {
            assertThrows(RuntimeException.class, this::assertIndexExact);
            // Which also shows that the INDEX path reads the index, and the RANGE path does not.
            assertEquals(List.of(), found(chatbot, name, LeadSearch.Path.INDEX));
            assertEquals(List.of(lead.id()), found(chatbot, name, LeadSearch.Path.RANGE));
        } finally {
            jdbi().useHandle(h -> h.execute("INSERT INTO leads_search (leads_search) VALUES ('rebuild')"));
        }
        assertIndexExact();
        assertEquals(List.of(lead.id()), found(chatbot, name, LeadSearch.Path.INDEX));
    }

    @Test
    void aCapturedLeadIsIndexedAndAnErasedOneLeavesTheIndex() {
        Chatbot chatbot = chatbot();
        String name = unique();
        Lead lead = app.leads().create(new NewLead(chatbot.id(), chatbot.ownerId(), name, "Erase.Me@Example.com",
                "+14155550123", null, AT));
        assertEquals(List.of(lead.id()), indexed(name));
        assertEquals(List.of(lead.id()), found(chatbot, name.toUpperCase(), LeadSearch.Path.INDEX));
        assertEquals(List.of(lead.id()), found(chatbot, "(415) 555-0123", LeadSearch.Path.INDEX));
        assertTrue(app.leads().delete(lead.id()));
        assertEquals(List.of(), indexed(name));
        assertEquals(List.of(), found(chatbot, name, LeadSearch.Path.INDEX));
        assertIndexExact();
    }

    @Test
    void anUpdatedLeadIsFoundByItsNewTextOnly() {
        Chatbot chatbot = chatbot();
        String before = unique();
        String after = unique();
        Lead lead = app.leads().create(new NewLead(chatbot.id(), chatbot.ownerId(), before, null, null, null, AT));
        jdbi().useHandle(h -> h.createUpdate("UPDATE leads SET name = :name WHERE id = :id")
                .bind("name", after).bind("id", lead.id()).execute());
        assertEquals(List.of(), indexed(before));
        assertEquals(List.of(lead.id()), indexed(after));
        assertIndexExact();
    }

    @Test
    void retentionsPurgeTakesItsLeadsOutOfTheIndex() {
        Chatbot chatbot = chatbot();
        String old = unique();
        String young = unique();
        long now = System.currentTimeMillis();
        List<NewLead> leads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            leads.add(new NewLead(chatbot.id(), chatbot.ownerId(), old + " " + i, null, null, null,
                    Instant.ofEpochMilli(now - Duration.ofDays(100 + i).toMillis())));
        }
        Lead kept = app.leads().create(new NewLead(chatbot.id(), chatbot.ownerId(), young, null, null, null,
                Instant.ofEpochMilli(now - Duration.ofDays(1).toMillis())));
        jdbi().useTransaction(h -> app.leads().insertAll(h, leads, false));
        assertEquals(30, indexed(old).size());

        assertEquals(30, app.leadRetention().purge(chatbot.id(), app.leadRetention().cutoff(30)));
        assertEquals(List.of(), indexed(old));
        assertEquals(List.of(kept.id()), indexed(young));
        assertIndexExact();
    }

    @Test
    void anImportIsIndexedAndARolledBackOneLeavesNothing() throws Exception {
        Chatbot chatbot = chatbot();
        String imported = unique();
        StringBuilder csv = new StringBuilder("name,email,phone\n");
        for (int i = 0; i < 40; i++) {
            csv.append(imported).append(' ').append(i).append(",i").append(i).append("@example.com,+1 415 555 ")
                    .append(String.format("%04d", 7000 + i)).append('\n');
        }
        LeadImport.Result result = new LeadImport(jdbi(), app.leads(), app.clock()).run(chatbot, "US",
                new BufferedReader(new StringReader(csv.toString())), LeadImport.Format.CSV, ',', false, false, rows -> { });
        assertTrue(result.committed());
        assertEquals(40, indexed(imported).size());
        assertEquals(1, found(chatbot, "555-7012", LeadSearch.Path.INDEX).size());

        String refused = unique();
        String bad = "name,email\n" + refused + ",ok@example.com\n" + refused + ",not an email\n";
        LeadImport.Result rolledBack = new LeadImport(jdbi(), app.leads(), app.clock()).run(chatbot, "US",
                new BufferedReader(new StringReader(bad)), LeadImport.Format.CSV, ',', false, false, rows -> { });
        assertFalse(rolledBack.committed());
        assertEquals(List.of(), indexed(refused));
        assertIndexExact();
    }

    @Test
    void aDeletedChatbotsLeadsLeaveTheIndexByTheCascade() {
        Chatbot chatbot = chatbot();
        String name = unique();
        List<NewLead> leads = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            leads.add(new NewLead(chatbot.id(), chatbot.ownerId(), name, null, null, null, AT.plusSeconds(i)));
        }
        jdbi().useTransaction(h -> app.leads().insertAll(h, leads, false));
        assertEquals(25, indexed(name).size());
        assertTrue(app.chatbots().delete(chatbot.id()));
        assertEquals(List.of(), indexed(name));
        assertIndexExact();
    }

    @Test
    void theMigrationIndexesTheLeadsStoredBeforeIt() throws Exception {
        Path dir = Files.createTempDirectory("chatleads-fts");
        String url = "jdbc:sqlite:" + dir.resolve("before-v15.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("14").load().migrate();
        Jdbi before = Jdbi.create(url);
        before.useHandle(h -> {
            h.execute("INSERT INTO owners (id, email, created_at) VALUES ('o1', 'o1@example.com', 0)");
            h.execute("INSERT INTO chatbots (id, owner_id, name, created_at) VALUES ('c1', 'o1', 'bot', 0)");
            for (int i = 0; i < 10; i++) {
                h.execute("INSERT INTO leads (chatbot_id, owner_id, name, email, phone, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        "c1", "o1", "Older Lead " + i, "older" + i + "@example.com", "+1415555000" + i, i);
            }
        });
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").load().migrate();
        before.useHandle(h -> {
            assertEquals(10, h.createQuery("SELECT count(*) FROM leads_search WHERE leads_search MATCH '\"older lead\"'")
                    .mapTo(Integer.class).one());
            assertEquals(1, h.createQuery("SELECT count(*) FROM leads_search WHERE leads_search MATCH 'phone : \"5550007\"'")
                    .mapTo(Integer.class).one());
            h.execute("INSERT INTO leads_search (leads_search, rank) VALUES ('integrity-check', 1)");
        });
    }

    @Test
    void aRareTermTakesTheIndexAndACommonOneTheRange() {
        Chatbot chatbot = chatbot();
        String common = unique();
        String rare = unique();
        List<NewLead> leads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            leads.add(new NewLead(chatbot.id(), chatbot.ownerId(), common + (i == 0 ? " " + rare : ""), null, null, null, AT.plusSeconds(i)));
        }
        jdbi().useTransaction(h -> app.leads().insertAll(h, leads, false));
        LeadSearch search = new LeadSearch(app.staleReads(), app.database().dialect(), 10, 5);
        assertEquals(LeadSearch.Path.INDEX, search.pathFor(rare));
        assertEquals(LeadSearch.Path.RANGE, search.pathFor(common), "12 matches, more than the 10 the index is read for");
        assertEquals(LeadSearch.Path.RANGE, search.pathFor("u1"), "too short for a trigram");
        assertEquals(1, search.page(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, rare, null, 50).leads().size());
        assertEquals(12, search.page(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, common, null, 50).leads().size());
    }

    /**
     * The automatic choice, seen through a lead the index misses: found when the range's first
     * leads answer the search, missed when the search goes to the index.
     */
    @Test
    void aTermTheFirstLeadsOfTheRangeAnswerSkipsTheIndex() {
        Chatbot chatbot = chatbot();
        String common = unique();
        String rare = unique();
        List<NewLead> leads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // The newest lead has both terms; 29 older ones the common term.
            leads.add(new NewLead(chatbot.id(), chatbot.ownerId(), common + (i == 29 ? " " + rare : ""), null, null, null, AT.plusSeconds(i)));
        }
        jdbi().useTransaction(h -> app.leads().insertAll(h, leads, false));
        long newest = found(chatbot, rare, LeadSearch.Path.RANGE).get(0);
        jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO leads_search (leads_search, rowid, name, email, phone)
                        SELECT 'delete', id, name, email, phone FROM leads WHERE id = :id""")
                .bind("id", newest).execute());
        try {
            LeadSearch search = new LeadSearch(app.staleReads(), app.database().dialect(), 100, 10);
            // Pages of 3: the 10 newest leads hold 4 with the common term, a full page and one more.
            assertEquals(3, search.page(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, common, null, 3)
                    .leads().size());
            assertEquals(newest, search.page(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, common, null, 3)
                    .leads().get(0).id(), "answered by the range: the lead the index misses is there");
            // The rare term fills no page among the first 10, so the index answers: it misses the lead.
            assertEquals(List.of(), search.page(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, rare, null, 3).leads());
            // A range no longer than the budget is the whole answer, index or not.
            LeadSearch wholeRange = new LeadSearch(app.staleReads(), app.database().dialect(), 100, 30);
            assertEquals(List.of(newest), wholeRange.page(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, rare, null, 3)
                    .leads().stream().map(Lead::id).toList());
        } finally {
            jdbi().useHandle(h -> h.execute("INSERT INTO leads_search (leads_search) VALUES ('rebuild')"));
        }
    }

    /** The plan LeadSearch's comment on PAGE_SQL gives, with and without a cursor and phone digits. */
    @Test
    void theIndexPathLooksUpTheMatchesByIdAndTheRangePathSeeksTheChatbotsRange() {
        for (boolean after : new boolean[] {false, true}) {
            for (boolean phone : new boolean[] {false, true}) {
                boolean floored = phone;
                String indexed = plan(LeadSearch.sql(app.database().dialect(), after, false, true, phone, true), after, phone, false);
                assertTrue(indexed.contains("SEARCH leads USING INTEGER PRIMARY KEY (rowid=?)")
                        && indexed.contains("LIST SUBQUERY") && indexed.contains("SCAN leads_search VIRTUAL TABLE INDEX 0:M")
                        && !indexed.contains("leads_chatbot_created_id"), indexed);
                String range = plan(LeadSearch.sql(app.database().dialect(), after, floored, true, phone, false), after, phone, floored);
                assertTrue(range.contains("SEARCH leads USING INDEX leads_chatbot_created_id") && !range.contains("TEMP B-TREE"), range);
            }
        }
    }

    private String plan(String sql, boolean after, boolean phone, boolean floored) {
        return jdbi().withHandle(h -> {
            var query = h.createQuery("EXPLAIN QUERY PLAN " + sql)
                    .bind("chatbotId", "c").bind("ownerId", "o").bind("fromMillis", 0L).bind("toMillis", 1L)
                    .bind("limit", 51).bind("pattern", "%term%");
            if (sql.contains(":match")) {
                query.bind("match", "\"term\"");
            }
            if (after) {
                query.bind("afterCreatedAt", 1L).bind("afterId", 1L);
            }
            if (phone) {
                query.bind("digits", "%415%");
            }
            if (floored) {
                query.bind("floorCreatedAt", 0L).bind("floorId", 1L);
            }
            return String.join("\n", query.map((rs, ctx) -> rs.getString("detail")).list());
        });
    }
}
