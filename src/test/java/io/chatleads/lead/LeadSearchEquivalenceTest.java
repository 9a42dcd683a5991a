package io.chatleads.lead;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQLite's search through the trigram index (LeadSearch.Path.INDEX), and as LeadSearch chooses,
 * against the range scan (Path.RANGE, the search as it was before V15), on the same real SQLite
 * file: for every term, chatbot, owner and date range, every keyset page must be the same leads in
 * the same order with the same cursor.
 */
class LeadSearchEquivalenceTest extends DatabaseTestBase {

    private static final Instant START = SearchTestLeads.START;
    private static final int PAGE = 7;
    private static final String[] NAMES = SearchTestLeads.NAMES;

    private final List<String> terms = new ArrayList<>();
    private Chatbot big;
    private Chatbot small;
    private Chatbot othersChatbot;
    private LeadSearch search;
    /** The automatic choice with bounds small enough that these leads take each of its ways. */
    private LeadSearch automatic;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }

    @BeforeAll
    void leadsAndTerms() {
        search = new LeadSearch(app.staleReads(), app.database().dialect());
        automatic = new LeadSearch(app.staleReads(), app.database().dialect(), 40, 30);
        SearchTestLeads seeded = SearchTestLeads.seed(app);
        big = seeded.big();
        small = seeded.small();
        othersChatbot = seeded.othersChatbot();
        terms.addAll(seeded.terms());
    }

    @Test
    void everyTermGivesTheSamePagesThroughTheIndexAsThroughTheRange() {
        long[][] ranges = {
            {Long.MIN_VALUE, Long.MAX_VALUE},
            {START.plusSeconds(60L * 40).toEpochMilli(), START.plusSeconds(60L * 150).toEpochMilli()},
        };
        int indexedWithMatches = 0;
        int compared = 0;
        for (String term : terms) {
            boolean indexable = term.strip().toLowerCase(Locale.ROOT).codePoints().count() >= LeadSearch.SHORTEST_INDEXED_TERM;
            for (Chatbot chatbot : List.of(big, small, othersChatbot)) {
                for (long[] range : ranges) {
                    List<LeadSearch.Page> byRange = walk(chatbot.id(), chatbot.ownerId(), range, term, LeadSearch.Path.RANGE);
                    List<LeadSearch.Page> byIndex = walk(chatbot.id(), chatbot.ownerId(), range, term, LeadSearch.Path.INDEX);
                    assertEquals(shown(byRange), shown(byIndex), "term '" + term + "', chatbot " + chatbot.name()
                            + ", range " + range[0] + ".." + range[1] + ": lead ids and cursor of each page");
                    assertEquals(byRange, byIndex, "the same leads, field by field");
                    assertEquals(shown(byRange), shown(walk(automatic, chatbot.id(), chatbot.ownerId(), range, term, null)),
                            "term '" + term + "', chatbot " + chatbot.name() + ", range " + range[0] + ".." + range[1] + ", chosen automatically");
                    compared += byRange.size();
                    if (indexable && !byRange.get(0).leads().isEmpty()) {
                        indexedWithMatches++;
                    }
                }
                // Another owner's id never sees the chatbot's leads, by either path.
                assertEquals(List.of(new LeadSearch.Page(List.of(), null)),
                        walk(chatbot.id(), big.ownerId().equals(chatbot.ownerId()) ? othersChatbot.ownerId() : big.ownerId(),
                                ranges[0], term, LeadSearch.Path.INDEX));
            }
        }
        // Not vacuous: many terms went through the index and found leads, over many pages.
        assertTrue(indexedWithMatches > 150, "index searches with matches: " + indexedWithMatches);
        assertTrue(compared > 2_000, "pages compared: " + compared);
    }

    @Test
    void theCaseAndWildcardRulesAreTodaysOnBothPaths() {
        Chatbot names = app.chatbots().create(big.ownerId(), "names only");
        List<NewLead> leads = new ArrayList<>();
        for (String name : NAMES) {
            leads.add(new NewLead(names.id(), names.ownerId(), name, null, null, null, START));
        }
        app.database().jdbi().useTransaction(handle -> app.leads().insertAll(handle, leads, false));
        for (LeadSearch.Path path : LeadSearch.Path.values()) {
            // SQLite's lower() folds ASCII only: a lower-cased É never meets a stored É, by either
            // path, although the trigram tokenizer itself folds it.
            assertEquals(Set.of("émile zola"), names(names, "ÉMILE", path), path.name());
            assertEquals(Set.of("Ada Lovelace", "ADA LOVELACE", "ada lovelace"), names(names, "lovelace", path), path.name());
            assertEquals(Set.of("100% Pure"), names(names, "0% p", path), path.name());
            assertEquals(Set.of("under_score"), names(names, "r_s", path), path.name());
            assertEquals(Set.of("bang!name"), names(names, "g!n", path), path.name());
            assertEquals(Set.of("say \"hi\" there"), names(names, "\"hi\"", path), path.name());
        }
    }

    private Set<String> names(Chatbot chatbot, String term, LeadSearch.Path path) {
        Set<String> names = new LinkedHashSet<>();
        for (LeadSearch.Page page : walk(chatbot.id(), chatbot.ownerId(), new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, term, path)) {
            page.leads().stream().map(Lead::name).forEach(names::add);
        }
        return names;
    }

    private static List<String> shown(List<LeadSearch.Page> pages) {
        return SearchTestLeads.shown(pages);
    }

    /** Every page of the search, following each page's cursor, by one path. */
    private List<LeadSearch.Page> walk(String chatbotId, String ownerId, long[] range, String term, LeadSearch.Path path) {
        return SearchTestLeads.walk(search, chatbotId, ownerId, range, term, path, PAGE);
    }

    /** {@code path} null: as {@code search} chooses. */
    private static List<LeadSearch.Page> walk(LeadSearch search, String chatbotId, String ownerId, long[] range, String term,
                                              LeadSearch.Path path) {
        return SearchTestLeads.walk(search, chatbotId, ownerId, range, term, path, PAGE);
    }
}
