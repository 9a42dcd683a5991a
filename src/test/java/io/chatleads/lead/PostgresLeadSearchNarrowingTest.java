package io.chatleads.lead;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL's search with the term narrowed for the trigram index (LeadSearch.narrowing, common
 * trigrams left out) against the search that asks the index for every trigram of the term, on the
 * same real PostgreSQL database: for every term, chatbot, owner and range, every keyset page must
 * be the same leads in the same order with the same cursor. Both with the trigrams CommonTrigrams
 * samples from these leads and with a random third of their trigrams counted common, so that
 * terms are cut into pieces anywhere.
 */
class PostgresLeadSearchNarrowingTest extends DatabaseTestBase {

    private static final int PAGE = 7;

    private SearchTestLeads seeded;
    private LeadSearch plain;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }

    @BeforeAll
    void leadsAndTerms() {
        seeded = SearchTestLeads.seed(app);
        plain = new LeadSearch(app.staleReads(), app.database().dialect());
        // The index is what is compared: with a table this small the planner would read it whole.
        app.database().jdbi().useHandle(handle -> handle.execute("ANALYZE leads"));
    }

    @Test
    void theSampledCommonTrigramsAreTheSharedOnes() {
        var loads = Executors.newSingleThreadExecutor();
        try {
            Set<String> common = new CommonTrigrams(app.staleReads(), loads, CommonTrigrams.REFRESH).get()
                    .get(30, TimeUnit.SECONDS);
            // Most of the 600 emails end in example.com; no lead's own number is in 5 % of them.
            assertTrue(common.containsAll(Set.of("exa", "xam", "amp", "mpl", "ple", "com")), common.toString());
            assertFalse(common.contains("123"), common.toString());
            assertTrue(common.stream().noneMatch(trigram -> trigram.contains(" ")), common.toString());
            compareEveryTerm(common, 4);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            loads.shutdownNow();
        }
    }

    @Test
    void withAnyTrigramsCommonEveryTermStillFindsWhatItFoundBefore() {
        // Any set of trigrams may be the sample's: here a third of those stored, at random, so that
        // most terms are cut into pieces wherever one falls.
        Set<String> common = new HashSet<>();
        Random random = new Random(18);
        List<String> texts = app.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT " + LeadSearch.SEARCH_TEXT_POSTGRESQL + " FROM leads").mapTo(String.class).list());
        for (String text : texts) {
            for (int i = 0; i + 3 <= text.length(); i++) {
                common.add(text.substring(i, i + 3));
            }
        }
        common.removeIf(trigram -> random.nextInt(3) != 0);
        compareEveryTerm(common, 20);
    }

    @Test
    void theNarrowingKeepsThePiecesBetweenCommonTrigrams() {
        Set<String> common = Set.of("lea", "ead", "exa", "xam", "amp", "mpl", "ple", "com", "141", "415", "155", "555");
        assertEquals("%ad1100958%", LeadSearch.narrowing("lead1100958@example.com", common));
        assertEquals("%ad11%xample%", LeadSearch.narrowing("lead11 xample", Set.of("lea", "ead")));
        assertEquals("%550123%", LeadSearch.narrowing("14155550123", common));
        // Pieces do not overlap: "spac", then not "ced" (its "c" is spac's) but what follows.
        assertEquals("%spac%edout%", LeadSearch.narrowing("spacedout", Set.of("ace")));
        assertEquals("%spacic%edout%", LeadSearch.narrowing("spacicedout", Set.of("ice")));
        // Fewer than three trigrams left: the term's own pattern ("lead99" would keep "d99").
        assertNull(LeadSearch.narrowing("lead99", common));
        assertNull(LeadSearch.narrowing("spaced", Set.of("ace")));
        // Nothing common in it: the term's own pattern.
        assertNull(LeadSearch.narrowing("zoltan@mail.hu", common));
        // Nothing left to ask: the term's own pattern.
        assertNull(LeadSearch.narrowing("example.com", common));
        assertNull(LeadSearch.narrowing("lead", common));
        // Letters pg_trgm stores hashed are never a piece, nor asked in one.
        assertNull(LeadSearch.narrowing("müller", Set.of("mül", "üll")));
        assertEquals("%llerin%", LeadSearch.narrowing("müllerin@example", common));
        assertNull(LeadSearch.narrowing("anything", Set.of()));
    }

    /**
     * Every term, chatbot and range, narrowed by {@code common}, against the plain search; at least
     * {@code narrowedAtLeast} terms narrowed. First as the planner chooses (on 600 leads: the
     * chatbot's range, every pattern a filter), then with the trigram index the only way to the
     * rows, so that the narrowed patterns are what the index is asked.
     */
    private void compareEveryTerm(Set<String> common, int narrowedAtLeast) {
        compareEveryTermAsPlanned(common, narrowedAtLeast);
        try {
            onlyTheTrigramIndex(true);
            compareEveryTermAsPlanned(common, narrowedAtLeast);
        } finally {
            onlyTheTrigramIndex(false);
        }
    }

    private void compareEveryTermAsPlanned(Set<String> common, int narrowedAtLeast) {
        LeadSearch narrowed = new LeadSearch(app.staleReads(), app.database().dialect(), LeadSearch.INDEX_CANDIDATES,
                LeadSearch.RANGE_BUDGET, () -> common);
        long[][] ranges = {
            {Long.MIN_VALUE, Long.MAX_VALUE},
            {SearchTestLeads.START.plusSeconds(60L * 40).toEpochMilli(), SearchTestLeads.START.plusSeconds(60L * 150).toEpochMilli()},
        };
        int narrowedTerms = 0;
        int narrowedWithMatches = 0;
        for (String term : seeded.terms()) {
            String lowered = term.strip().toLowerCase(Locale.ROOT);
            String digits = LeadSearch.phoneDigits(term.strip());
            boolean isNarrowed = LeadSearch.narrowing(lowered, common) != null
                    || digits != null && LeadSearch.narrowing(digits, common) != null;
            if (!isNarrowed) {
                // The same SQL and bindings as the plain search's: nothing to compare.
                continue;
            }
            narrowedTerms++;
            for (Chatbot chatbot : List.of(seeded.big(), seeded.small(), seeded.othersChatbot())) {
                for (long[] range : ranges) {
                    List<LeadSearch.Page> before = SearchTestLeads.walk(plain, chatbot.id(), chatbot.ownerId(), range, term, null, PAGE);
                    List<LeadSearch.Page> after = SearchTestLeads.walk(narrowed, chatbot.id(), chatbot.ownerId(), range, term, null, PAGE);
                    assertEquals(SearchTestLeads.shown(before), SearchTestLeads.shown(after), "term '" + term + "', chatbot " + chatbot.name()
                            + ", range " + range[0] + ".." + range[1] + ": lead ids and cursor of each page");
                    assertEquals(before, after, "the same leads, field by field");
                    if (!before.get(0).leads().isEmpty()) {
                        narrowedWithMatches++;
                    }
                }
            }
        }
        // Not vacuous: many terms were narrowed, and many of those found leads.
        assertTrue(narrowedTerms >= narrowedAtLeast, "narrowed terms: " + narrowedTerms);
        assertTrue(narrowedWithMatches >= narrowedAtLeast, "narrowed searches with matches: " + narrowedWithMatches);
    }

    /**
     * On: leads_chatbot_created_id dropped and sequential scans priced out for this test's own
     * database, its pool's connections replaced so that every search sees it, and the plain search's
     * pages taken first, from the range, as the answers both searches must still give. Off: the index back.
     */
    private void onlyTheTrigramIndex(boolean on) {
        app.database().jdbi().useHandle(handle -> {
            String database = handle.createQuery("SELECT current_database()").mapTo(String.class).one();
            if (on) {
                handle.execute("DROP INDEX leads_chatbot_created_id");
                handle.execute("ALTER DATABASE " + database + " SET enable_seqscan = off");
            } else {
                handle.execute("ALTER DATABASE " + database + " RESET enable_seqscan");
                handle.execute("CREATE INDEX leads_chatbot_created_id ON leads (chatbot_id, created_at DESC, id DESC)");
            }
        });
        everyPooledConnectionHas(on ? "off" : "on");
        if (on) {
            // The plan a narrowed search gets: only the narrowed pattern goes to the index.
            String plan = app.database().jdbi().withHandle(handle -> String.join("\n", handle.createQuery(
                    "EXPLAIN " + LeadSearch.sql(app.database().dialect(), false, false, true, false, false, true)
                            .replace(":chatbotId", "'x'").replace(":ownerId", "'y'").replace(":fromMillis", "0")
                            .replace(":toMillis", "1").replace(":limit", "8")
                            .replace(":narrowed", "'%ad1100958%'").replace(":pattern", "'%lead1100958@example.com%'"))
                    .mapTo(String.class).list()));
            assertTrue(plan.contains("Bitmap Index Scan on leads_search_trgm"), plan);
            // The index scan is the plan's last node; its condition runs over several lines.
            String indexCondition = plan.substring(plan.indexOf("Index Cond"));
            assertTrue(indexCondition.contains("%ad1100958%") && !indexCondition.contains("lead1100958@"), plan);
        }
    }

    /**
     * Every connection of the pool with enable_seqscan {@code setting}. Soft eviction alone is not
     * enough: a connection the pool was opening while ALTER DATABASE ran keeps the old setting, and
     * once the first CI run drew one. So: evict, then borrow as many connections as the pool may
     * hold (every one opened after the ALTER, or checked), and evict any still wrong, until a whole
     * round finds them all right. A pool at its maximum opens no more.
     */
    private void everyPooledConnectionHas(String setting) {
        var pool = app.database().dataSource();
        for (int round = 0; round < 10; round++) {
            pool.getHikariPoolMXBean().softEvictConnections();
            List<Connection> held = new ArrayList<>();
            boolean allRight = true;
            try {
                for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                    Connection connection = pool.getConnection();
                    held.add(connection);
                    try (Statement statement = connection.createStatement();
                         ResultSet shown = statement.executeQuery("SHOW enable_seqscan")) {
                        shown.next();
                        if (!setting.equals(shown.getString(1))) {
                            allRight = false;
                            pool.evictConnection(connection);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new AssertionError(e);
            } finally {
                for (Connection connection : held) {
                    try {
                        connection.close();
                    } catch (SQLException ignored) {
                        // Evicted already: closing it again is all that failed.
                    }
                }
            }
            if (allRight) {
                return;
            }
        }
        throw new AssertionError("the pool's connections did not all get enable_seqscan = " + setting);
    }
}
