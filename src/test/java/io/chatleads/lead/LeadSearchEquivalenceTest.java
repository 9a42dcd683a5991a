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

    private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    private static final int PAGE = 7;

    /** Names with case that SQLite's lower() folds and case it does not, LIKE's wildcards and its escape, quotes, FTS5 syntax. */
    private static final String[] NAMES = {
        "Ada Lovelace", "ADA LOVELACE", "ada lovelace", "Émile Zola", "émile zola", "ÉMILE ZOLA", "Straße Müller",
        "STRASSE MÜLLER", "İstanbul Kaya", "istanbul kaya", "José Núñez", "JOSÉ NÚÑEZ", "Zoë 😀 Smile",
        "100% Pure", "100 Pure", "under_score", "underXscore", "bang!name", "bang!!name", "O'Brien",
        "say \"hi\" there", "a*b (c) {d} ^e: NEAR OR AND", "Δημήτρης Παπαδόπουλος", "ΔΗΜΉΤΡΗΣ", "李小龙",
        "  spaced  out  ", "x", null,
    };
    private static final String[] EMAILS = {
        "lead%d@example.com", "Ada.Lovelace+%d@Example.COM", "o'brien%d@example.ie", "under_%d@example.com",
        "pct%%%d@example.com", "bang!%d@example.com", "zoë%d@exämple.de", null,
    };

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
        Owner owner = app.owners().create("search-" + UUID.randomUUID() + "@example.com");
        Owner other = app.owners().create("other-" + UUID.randomUUID() + "@example.com");
        big = app.chatbots().create(owner.id(), "big");
        small = app.chatbots().create(owner.id(), "small");
        othersChatbot = app.chatbots().create(other.id(), "other's");
        Random random = new Random(15);
        List<NewLead> leads = new ArrayList<>();
        Set<String> samples = new LinkedHashSet<>();
        for (int i = 0; i < 600; i++) {
            Chatbot chatbot = i % 5 == 0 ? small : i % 7 == 0 ? othersChatbot : big;
            String name = NAMES[random.nextInt(NAMES.length)];
            String email = EMAILS[random.nextInt(EMAILS.length)];
            email = email == null ? null : email.formatted(i);
            String phone = switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> "+4930" + (1_000_000 + random.nextInt(9_000_000));
                default -> String.format("+1415555%04d", random.nextInt(10_000));
            };
            // Three leads a minute: equal timestamps, so pages must break ties on the id.
            leads.add(new NewLead(chatbot.id(), chatbot.ownerId(), name, email, phone, null, START.plusSeconds(60L * (i / 3))));
            for (String field : new String[] {name, email, phone}) {
                if (field != null) {
                    samples.add(field);
                }
            }
        }
        app.database().jdbi().useTransaction(handle -> app.leads().insertAll(handle, leads, false));

        terms.addAll(List.of(
                // shorter than a trigram: the range either way
                "a", "ad", "é", "É", "%", "_", "!", "'", "\"", "😀", "李小",
                // LIKE's wildcards and SQLite's escape character, taken literally
                "100%", "% p", "%pu", "r_s", "under_", "_sc", "nder_s", "!na", "g!!n", "bang!", "!!!", "pct%", "%%%",
                // quotes and FTS5's own syntax inside the phrase
                "o'b", "'brien", "\"hi\"", "say \"", "a*b", "(c)", "{d}", "^e:", "near or", "or and", "\"\"\"",
                // case: ASCII folds, other letters only match as written once lower-cased
                "lovelace", "LOVELACE", "LoVeLaCe", "émile", "ÉMILE", "Émile", "mile zo", "straße", "STRASSE",
                "strasse", "müller", "MÜLLER", "i̇stanbul", "İstanbul", "istanbul", "josé", "JOSÉ", "núñez",
                "zoë 😀", "😀 sm", "δημ", "ΔΗΜ", "δημή", "李小龙", "pa d", "d  o", "spaced  out",
                // email parts
                "@example", "example.com", "EXAMPLE.COM", "+1", "lead1", "lead12@", "ada.lovelace+", "exämple",
                // phones: written with spaces, dashes, brackets, dots; digits of the E.164 form
                "415", "+1 415", "(415) 555-00", "555-0", "555 01 2", "+49 30", "4930", "0 1", "1.4.1", "+", "+4",
                "+49", "1-2", "--1--", "30 1 ",
                // nothing matches
                "zzz", "qqqq", "lovelace!", "a_a", "%ad", "ad%"));
        // Pieces of what is stored, as an owner would type them, in random case.
        List<String> stored = new ArrayList<>(samples);
        for (int i = 0; i < 120; i++) {
            String field = stored.get(random.nextInt(stored.size()));
            int[] points = field.codePoints().toArray();
            int from = random.nextInt(points.length);
            int to = Math.min(points.length, from + 1 + random.nextInt(6));
            String piece = new String(points, from, to - from);
            terms.add(random.nextBoolean() ? piece.toUpperCase(Locale.ROOT) : piece);
        }
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

    /** The pages as their leads' ids and their cursors, for a failure message one can read. */
    private static List<String> shown(List<LeadSearch.Page> pages) {
        return pages.stream().map(page -> page.leads().stream().map(Lead::id).toList() + " next " + page.next()).toList();
    }

    /** Every page of the search, following each page's cursor, by one path. */
    private List<LeadSearch.Page> walk(String chatbotId, String ownerId, long[] range, String term, LeadSearch.Path path) {
        return walk(search, chatbotId, ownerId, range, term, path);
    }

    /** {@code path} null: as {@code search} chooses. */
    private static List<LeadSearch.Page> walk(LeadSearch search, String chatbotId, String ownerId, long[] range, String term,
                                              LeadSearch.Path path) {
        List<LeadSearch.Page> pages = new ArrayList<>();
        LeadCursor after = null;
        do {
            LeadSearch.Page page = search.page(chatbotId, ownerId, range[0], range[1], term, after, PAGE, path);
            pages.add(page);
            after = page.next();
        } while (after != null && pages.size() < 200);
        return pages;
    }
}
