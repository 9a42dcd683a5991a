package io.chatleads.lead;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The leads and terms the search's equivalence tests compare its ways on: 600 leads over three
 * chatbots (two of one owner, one of another), with names, emails and phones full of what a LIKE,
 * a lower() or a trigram index may get wrong, and the terms, hand-picked and cut from what is
 * stored. {@code terms} is in a fixed order (a seeded Random).
 */
record SearchTestLeads(Chatbot big, Chatbot small, Chatbot othersChatbot, List<String> terms) {

    static final Instant START = Instant.parse("2024-03-01T00:00:00Z");

    /** Names with case that SQLite's lower() folds and case it does not, LIKE's wildcards and its escape, quotes, FTS5 syntax. */
    static final String[] NAMES = {
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

    static SearchTestLeads seed(Chatleads app) {
        Owner owner = app.owners().create("search-" + UUID.randomUUID() + "@example.com");
        Owner other = app.owners().create("other-" + UUID.randomUUID() + "@example.com");
        Chatbot big = app.chatbots().create(owner.id(), "big");
        Chatbot small = app.chatbots().create(owner.id(), "small");
        Chatbot othersChatbot = app.chatbots().create(other.id(), "other's");
        List<String> terms = new ArrayList<>();
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
                // whole emails, whose domain every other lead shares
                "lead123@example.com", "LEAD42@EXAMPLE.COM", "ada.lovelace+77@example.com", "under_9@example.com",
                "o'brien5@example.ie", "zoë31@exämple.de", "nobody1@example.com",
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
            int to = Math.min(points.length, from + 1 + random.nextInt(12));
            String piece = new String(points, from, to - from);
            terms.add(random.nextBoolean() ? piece.toUpperCase(Locale.ROOT) : piece);
        }
        return new SearchTestLeads(big, small, othersChatbot, List.copyOf(terms));
    }

    /** The pages as their leads' ids and their cursors, for a failure message one can read. */
    static List<String> shown(List<LeadSearch.Page> pages) {
        return pages.stream().map(page -> page.leads().stream().map(Lead::id).toList() + " next " + page.next()).toList();
    }

    /** Every page of the search in pages of {@code size}, following each page's cursor; {@code path} null: as {@code search} chooses. */
    static List<LeadSearch.Page> walk(LeadSearch search, String chatbotId, String ownerId, long[] range, String term,
                                      LeadSearch.Path path, int size) {
        List<LeadSearch.Page> pages = new ArrayList<>();
        LeadCursor after = null;
        do {
            LeadSearch.Page page = search.page(chatbotId, ownerId, range[0], range[1], term, after, size, path);
            pages.add(page);
            after = page.next();
        } while (after != null && pages.size() < 200);
        return pages;
    }
}
