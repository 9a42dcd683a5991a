package io.chatleads.lead;

import io.chatleads.db.Dialect;
import io.chatleads.db.StaleReads;
import io.chatleads.error.InvalidInput;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The console's leads table: a chatbot's leads in a range of instants, newest first, optionally
 * only those whose name, email or phone contains a search term, in keyset pages (never OFFSET):
 * a page after a cursor starts with a seek on leads_chatbot_created_id, so the last page costs
 * what the first does.
 *
 * <p>The search, on PostgreSQL, reads the trigram index leads_search_trgm (V14) when the planner
 * expects few matches: a term only one lead of the benchmark's 200,000-lead chatbot matches takes
 * 17 ms instead of 0.5 s; for a term many leads match ("example") it reads the chatbot's range
 * newest first and stops when the page is full. Without pg_trgm it is always that range scan.
 *
 * <p>On SQLite, whose planner cannot weigh a MATCH against the range, this class chooses, for a
 * term of 3 or more characters: first the newest {@link #RANGE_BUDGET} leads of the range are
 * tested, which is the whole answer when they fill the page (a common term) or are the whole
 * range; else, when at most {@link #INDEX_CANDIDATES} leads of the whole database match (counted
 * in the FTS5 trigram table leads_search, V15, up to that bound), only those are read; else the
 * range as above. The index only narrows the rows: the same LIKE conditions then decide, so every
 * way gives the same page (LeadSearchEquivalenceTest).
 */
public final class LeadSearch {

    public static final int MAX_TERM = 200;

    /** The shortest substring the trigram tokenizer can find; a MATCH of a shorter one finds nothing. */
    static final int SHORTEST_INDEXED_TERM = 3;

    /**
     * At most this many matches in the whole database, and the SQLite search reads them from the
     * index rather than the chatbot's range: a match read by id costs about a fifth of the CPU of a
     * row of the range tested (1 against 6 µs, BENCHMARKS.md, console on SQLite), and a term more
     * leads match than this (one in 50 of the benchmark's million) most often fills a page early in
     * the range.
     */
    static final int INDEX_CANDIDATES = 20_000;

    /**
     * How many of the range's newest leads the SQLite search tests before it counts the index's
     * matches: a term that fills the page among them is answered there, without the count, which
     * costs a term matched by 20,000 leads about 50 ms (BENCHMARKS.md, console on SQLite).
     */
    static final int RANGE_BUDGET = 1_000;

    /** How the SQLite search finds its rows: the chatbot's range newest first, or the trigram index's matches. */
    enum Path { RANGE, INDEX }

    /**
     * Owner and chatbot as get-leads' page (LeadRepository.PAGE_FIRST_SQL): a page with rows proves
     * the chatbot is the owner's; the console checks ownership before it asks anyway.
     *
     * <p>The range (PostgreSQL, and SQLite's RANGE path): a seek on leads_chatbot_created_id to the
     * newest entry of the range, then entries in index order, each row tested, until the page is
     * full. SQLite's INDEX path adds NOT INDEXED and the MATCH: EXPLAIN QUERY PLAN gives
     * {@code SEARCH leads USING INTEGER PRIMARY KEY (rowid=?)} for each rowid of
     * {@code LIST SUBQUERY 1 / SCAN leads_search VIRTUAL TABLE INDEX 0:M…}, then
     * {@code USE TEMP B-TREE FOR ORDER BY} over the few that are the chatbot's; without NOT INDEXED
     * SQLite prefers the range, which orders for free, and tests each row against the list.
     */
    private static final String PAGE_SQL = """
            SELECT id, chatbot_id, owner_id, name, email, phone, conversation_id, created_at
            FROM leads%s
            WHERE chatbot_id = :chatbotId
              AND owner_id = :ownerId
              AND created_at >= :fromMillis
              AND created_at <= :toMillis
              %s
              %s
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """;
    private static final String AFTER = "AND (created_at, id) < (:afterCreatedAt, :afterId)";
    /** The first rows' bound: strictly newer than the position RANGE_BUDGET entries down (FLOOR_SQLITE). */
    private static final String ABOVE_FLOOR = "AND (created_at, id) > (:floorCreatedAt, :floorId)";
    /**
     * The position of the range's entry RANGE_BUDGET + 1 (none when the range is shorter): an
     * index-only walk of leads_chatbot_created_id (SEARCH leads USING COVERING INDEX), which holds
     * chatbot_id, created_at and the rowid id. The page query checks the owner.
     */
    private static final String FLOOR_SQLITE = """
            SELECT created_at, id FROM leads
            WHERE chatbot_id = :chatbotId
              AND created_at >= :fromMillis
              AND created_at <= :toMillis
              %s
            ORDER BY created_at DESC, id DESC
            LIMIT 1 OFFSET :budget
            """;
    /**
     * The three fields as one text, lower-cased, for PostgreSQL: exactly the expression of the
     * trigram index leads_search_trgm (V14), joined by line breaks so that no match spans two
     * fields. LIKE's default escape character, the backslash, keeps the index usable.
     */
    static final String SEARCH_TEXT_POSTGRESQL =
            "lower(coalesce(name, '') || E'\\n' || coalesce(email, '') || E'\\n' || coalesce(phone, ''))";
    private static final String TERM_POSTGRESQL = "AND (" + SEARCH_TEXT_POSTGRESQL + " LIKE :pattern%s)";
    private static final String PHONE_POSTGRESQL = " OR " + SEARCH_TEXT_POSTGRESQL + " LIKE :digits";
    /**
     * A narrowed term ({@link #narrowing}): the index is asked for the narrowed patterns, and the
     * term's own decide. Those are written on the text under the "C" collation, an expression the
     * index is not on, so that the planner cannot hand them to the index too (it would intersect
     * their common trigrams again); LIKE compares characters the same under any deterministic
     * collation, so they match what TERM_POSTGRESQL matches. EXPLAIN: Bitmap Index Scan on
     * leads_search_trgm with only the narrowed patterns as Index Cond, the term's in the heap
     * scan's Filter; or, for a term many leads match, the range, both as the Filter.
     */
    private static final String NARROWED_TERM_POSTGRESQL = "AND (" + SEARCH_TEXT_POSTGRESQL + " LIKE :narrowed%s)\n  "
            + "AND ((" + SEARCH_TEXT_POSTGRESQL + " COLLATE \"C\") LIKE :pattern%s)";
    private static final String NARROWED_PHONE_POSTGRESQL = " OR " + SEARCH_TEXT_POSTGRESQL + " LIKE :narrowedDigits";
    private static final String EXACT_PHONE_POSTGRESQL = " OR (" + SEARCH_TEXT_POSTGRESQL + " COLLATE \"C\") LIKE :digits";
    // lower() on both sides: SQLite's LIKE ignores ASCII case only; lower() makes the two databases
    // agree (on ASCII; PostgreSQL also folds other letters). SQLite has no default escape character.
    private static final String TERM_SQLITE = "AND (lower(name) LIKE :pattern ESCAPE '!' OR lower(email) LIKE :pattern ESCAPE '!'%s)";
    // Phones are stored in E.164, so a term that is a phone number written with spaces or dashes
    // is matched by its digits too.
    private static final String PHONE_SQLITE = " OR phone LIKE :digits ESCAPE '!'";
    /** The INDEX path's narrowing, before TERM_SQLITE: the rowids of leads_search's matches. */
    private static final String MATCHES_SQLITE = "AND id IN (SELECT rowid FROM leads_search WHERE leads_search MATCH :match)";
    /**
     * How many leads of the whole database the term matches, up to {@code :bound}: the FTS5 table
     * walks the trigrams' lists in rowid order (SCAN leads_search VIRTUAL TABLE INDEX 0:M) and stops
     * at the bound, reading no row of leads.
     */
    private static final String MATCH_COUNT_SQLITE = """
            SELECT count(*) FROM (SELECT 1 FROM leads_search WHERE leads_search MATCH :match LIMIT :bound)
            """;

    // Every search may be a replica's: a check interval plus CHATLEADS_DB_READ_MAX_LAG_SECONDS stale.
    private final StaleReads reads;
    private final Dialect dialect;
    private final int indexCandidates;
    private final int rangeBudget;
    /** PostgreSQL's, sampled: what {@link #narrowing} leaves out; empty: no term is narrowed. */
    private final Supplier<Set<String>> commonTrigrams;

    /**
     * @param loads where PostgreSQL's sample of {@link CommonTrigrams} is read, off the searching
     *              thread; unused on SQLite
     */
    public LeadSearch(StaleReads reads, Dialect dialect, Executor loads) {
        this(reads, dialect, INDEX_CANDIDATES, RANGE_BUDGET, dialect == Dialect.POSTGRESQL
                ? new CommonTrigrams(reads, loads, CommonTrigrams.REFRESH)::now : Set::of);
    }

    /** No term narrowed on PostgreSQL: each asks the index for all its trigrams. */
    LeadSearch(StaleReads reads, Dialect dialect) {
        this(reads, dialect, INDEX_CANDIDATES, RANGE_BUDGET, Set::of);
    }

    /** {@link #INDEX_CANDIDATES} and {@link #RANGE_BUDGET}, smaller in tests that take every way on little data. */
    LeadSearch(StaleReads reads, Dialect dialect, int indexCandidates, int rangeBudget) {
        this(reads, dialect, indexCandidates, rangeBudget, Set::of);
    }

    LeadSearch(StaleReads reads, Dialect dialect, int indexCandidates, int rangeBudget, Supplier<Set<String>> commonTrigrams) {
        this.reads = reads;
        this.dialect = dialect;
        this.indexCandidates = indexCandidates;
        this.rangeBudget = rangeBudget;
        this.commonTrigrams = commonTrigrams;
    }

    /** A page of the search: up to {@code size} leads, and the cursor of the next page (null on the last). */
    public record Page(List<Lead> leads, LeadCursor next) {
    }

    /** {@code term} null or blank: every lead of the range. {@code after} null: the first page. */
    public Page page(String chatbotId, String ownerId, long fromMillis, long toMillis, String term, LeadCursor after,
                     int size) {
        return page(chatbotId, ownerId, fromMillis, toMillis, term, after, size, null);
    }

    /**
     * {@code path} null: as the term's match count says (on SQLite; PostgreSQL's planner chooses).
     * A forced INDEX still reads the range for a term the index cannot find (under 3 characters).
     */
    Page page(String chatbotId, String ownerId, long fromMillis, long toMillis, String term, LeadCursor after,
              int size, Path path) {
        String trimmed = term == null ? "" : term.strip();
        if (trimmed.length() > MAX_TERM) {
            throw new InvalidInput("search must be at most " + MAX_TERM + " characters");
        }
        long upper = after == null ? toMillis : Math.min(toMillis, after.createdAtMillis());
        boolean postgres = dialect == Dialect.POSTGRESQL;
        boolean searching = !trimmed.isEmpty();
        String lowered = trimmed.toLowerCase(Locale.ROOT);
        String digits = phoneDigits(trimmed);
        String match = postgres ? null : indexedMatch(lowered, digits);
        if (postgres) {
            // Whether the trigram index pays depends on the term: a plan made for any term (the
            // generic plan the driver's prepared statement gets after five runs) read the range
            // for a term one lead matches, 0.45 s instead of 19 ms (BENCHMARKS.md, console).
            return reads.withJdbi(jdbi -> jdbi.inTransaction(handle -> {
                if (searching) {
                    handle.execute("SET LOCAL plan_cache_mode = force_custom_plan");
                }
                return read(handle, chatbotId, ownerId, fromMillis, upper, lowered, digits, null, after, null, size);
            }));
        }
        // Outside a transaction: SQLite's begin IMMEDIATE (Database) would hold the write lock, and
        // captures would wait, for the whole search. The count only chooses; each statement reads
        // a consistent snapshot of its own.
        return reads.withJdbi(jdbi -> jdbi.withHandle(handle -> {
            if (match == null || path == Path.RANGE) {
                return read(handle, chatbotId, ownerId, fromMillis, upper, lowered, digits, null, after, null, size);
            }
            if (path == null) {
                LeadCursor floor = floor(handle, chatbotId, fromMillis, upper, after);
                Page first = read(handle, chatbotId, ownerId, fromMillis, upper, lowered, digits, null, after, floor, size);
                if (floor == null || first.next() != null) {
                    return first;
                }
                if (choose(handle, match) == Path.RANGE) {
                    return read(handle, chatbotId, ownerId, fromMillis, upper, lowered, digits, null, after, null, size);
                }
            }
            return read(handle, chatbotId, ownerId, fromMillis, upper, lowered, digits, match, after, null, size);
        }));
    }

    /** The position {@link #rangeBudget} entries down the range (after {@code after}), or null when it is shorter. */
    private LeadCursor floor(Handle handle, String chatbotId, long fromMillis, long upper, LeadCursor after) {
        Query query = handle.createQuery(FLOOR_SQLITE.formatted(after == null ? "" : AFTER))
                .bind("chatbotId", chatbotId)
                .bind("fromMillis", fromMillis)
                .bind("toMillis", upper)
                .bind("budget", rangeBudget);
        if (after != null) {
            query.bind("afterCreatedAt", after.createdAtMillis()).bind("afterId", after.id());
        }
        return query.map((rs, ctx) -> new LeadCursor(rs.getLong(1), rs.getLong(2))).findOne().orElse(null);
    }

    /**
     * The path an SQLite search for {@code term} (3 or more characters) takes when none is forced
     * and the range's first {@link #rangeBudget} leads did not answer it.
     */
    Path pathFor(String term) {
        String trimmed = term.strip();
        String match = indexedMatch(trimmed.toLowerCase(Locale.ROOT), phoneDigits(trimmed));
        return match == null ? Path.RANGE : reads.withJdbi(jdbi -> jdbi.withHandle(handle -> choose(handle, match)));
    }

    /** {@link #matchQuery}, or null for a term too short for the trigram index. */
    private static String indexedMatch(String lowered, String digits) {
        return lowered.codePointCount(0, lowered.length()) < SHORTEST_INDEXED_TERM ? null : matchQuery(lowered, digits);
    }

    /** INDEX when the term matches at most {@link #indexCandidates} leads in all. */
    private Path choose(Handle handle, String match) {
        int matches = handle.createQuery(MATCH_COUNT_SQLITE)
                .bind("match", match)
                .bind("bound", indexCandidates + 1)
                .mapTo(Integer.class)
                .one();
        return matches <= indexCandidates ? Path.INDEX : Path.RANGE;
    }

    /**
     * {@code lowered}: the term, stripped and lower-cased ("" for none). {@code match} non-null:
     * SQLite's INDEX path with that MATCH query. {@code floor} non-null: only the range's leads
     * newer than that position; then a page without a next cursor may only mean the floor was reached.
     */
    private Page read(Handle handle, String chatbotId, String ownerId, long fromMillis, long upper, String lowered,
                      String digits, String match, LeadCursor after, LeadCursor floor, int size) {
        boolean postgres = dialect == Dialect.POSTGRESQL;
        Set<String> common = postgres && !lowered.isEmpty() ? commonTrigrams.get() : Set.of();
        String narrowedTerm = narrowing(lowered, common);
        String narrowedDigits = digits == null ? null : narrowing(digits, common);
        boolean narrowed = narrowedTerm != null || narrowedDigits != null;
        String sql = sql(dialect, after != null, floor != null, !lowered.isEmpty(), digits != null, match != null, narrowed);
        char escape = postgres ? '\\' : '!';
        Query query = handle.createQuery(sql)
                .bind("chatbotId", chatbotId)
                .bind("ownerId", ownerId)
                // As in LeadRepository.pageAfter: SQLite seeks on the created_at bounds, not the row values.
                .bind("fromMillis", floor == null ? fromMillis : Math.max(fromMillis, floor.createdAtMillis()))
                .bind("toMillis", upper)
                .bind("limit", size + 1);
        if (after != null) {
            query.bind("afterCreatedAt", after.createdAtMillis()).bind("afterId", after.id());
        }
        if (floor != null) {
            query.bind("floorCreatedAt", floor.createdAtMillis()).bind("floorId", floor.id());
        }
        if (!lowered.isEmpty()) {
            String pattern = "%" + escape(lowered, escape) + "%";
            query.bind("pattern", pattern);
            if (digits != null) {
                query.bind("digits", "%" + digits + "%");
            }
            if (narrowed) {
                query.bind("narrowed", narrowedTerm != null ? narrowedTerm : pattern);
                if (digits != null) {
                    query.bind("narrowedDigits", narrowedDigits != null ? narrowedDigits : "%" + digits + "%");
                }
            }
        }
        if (match != null) {
            query.bind("match", match);
        }
        List<Lead> found = query.map(LeadRepository.LEAD).list();
        if (found.size() > size) {
            return new Page(found.subList(0, size), LeadCursor.after(found.get(size - 1)));
        }
        return new Page(found, null);
    }

    /**
     * The page query: after a cursor or not, above a floor or not, with a term or not, its phone
     * digits or not, through leads_search or not (SQLite).
     */
    static String sql(Dialect dialect, boolean after, boolean floored, boolean term, boolean phone, boolean indexed) {
        return sql(dialect, after, floored, term, phone, indexed, false);
    }

    /** {@code narrowed}: PostgreSQL's index asked for {@link #narrowing}'s patterns, the term's own deciding. */
    static String sql(Dialect dialect, boolean after, boolean floored, boolean term, boolean phone, boolean indexed,
                      boolean narrowed) {
        String termSql = !term ? ""
                : dialect == Dialect.POSTGRESQL && narrowed ? NARROWED_TERM_POSTGRESQL.formatted(
                        phone ? NARROWED_PHONE_POSTGRESQL : "", phone ? EXACT_PHONE_POSTGRESQL : "")
                : dialect == Dialect.POSTGRESQL ? TERM_POSTGRESQL.formatted(phone ? PHONE_POSTGRESQL : "")
                : TERM_SQLITE.formatted(phone ? PHONE_SQLITE : "");
        if (indexed) {
            termSql = MATCHES_SQLITE + "\n  " + termSql;
        }
        String bounds = (after ? AFTER : "") + (after && floored ? "\n  " : "") + (floored ? ABOVE_FLOOR : "");
        return PAGE_SQL.formatted(indexed ? " NOT INDEXED" : "", bounds, termSql);
    }

    /**
     * The FTS5 query that finds every lead the LIKE conditions of TERM_SQLITE can match: the term
     * as a phrase (a trigram phrase is a substring) in name or email, or the phone digits in phone.
     * Inside double quotes FTS5 takes every character literally but the double quote, doubled.
     * The tokenizer folds case (more letters than lower() does), so it finds a superset.
     */
    static String matchQuery(String loweredTerm, String digits) {
        String query = "({name email} : " + phrase(loweredTerm) + ")";
        return digits == null ? query : query + " OR (phone : " + phrase(digits) + ")";
    }

    private static String phrase(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * The LIKE pattern to ask PostgreSQL's trigram index for instead of the term's own, when some of
     * the term's trigrams are {@code common} (CommonTrigrams says why that pays): the pieces of the
     * term whose trigrams are all uncommon, in the term's order, joined by wildcards. Every lead the
     * term matches also matches it, so it only narrows. Null when no common trigram is left out, or
     * when fewer than {@link #MIN_NARROWED_TRIGRAMS} trigrams would be left to ask (then the term's
     * own pattern is asked, as without a sample).
     *
     * <p>Pieces are runs of ASCII letters and digits of 3 or more, split at a common trigram: pg_trgm
     * reads a piece between wildcards as exactly its own trigrams, and a trigram of other letters is
     * stored hashed, which a sample's text cannot be compared with (nor left out; it is only asked).
     */
    /** A narrowed pattern asks for at least this many trigrams, or the term's own is asked. */
    static final int MIN_NARROWED_TRIGRAMS = 3;

    static String narrowing(String lowered, Set<String> common) {
        if (common.isEmpty()) {
            return null;
        }
        List<String> pieces = new ArrayList<>();
        boolean leftOut = false;
        // Pieces never overlap: in one pattern, "%spac%ced%" would ask for "spac" and then, after
        // it, "ced", which "spaced" does not hold. A piece starts at the end of the one before.
        int lastEnd = 0;
        int i = 0;
        while (i < lowered.length()) {
            if (!pieceCharacter(lowered.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < lowered.length() && pieceCharacter(lowered.charAt(i))) {
                i++;
            }
            // The word [start, i); the trigram at t covers t, t + 1 and t + 2.
            int pieceStart = start;
            for (int t = start; t + 3 <= i; t++) {
                if (common.contains(lowered.substring(t, t + 3))) {
                    leftOut = true;
                    lastEnd = addPiece(lowered, Math.max(pieceStart, lastEnd), t + 2, pieces, lastEnd);
                    pieceStart = t + 1;
                }
            }
            lastEnd = addPiece(lowered, Math.max(pieceStart, lastEnd), i, pieces, lastEnd);
        }
        // Too little left to be worth asking: the benchmark's "lead99" kept only "d99", a trigram in
        // 1 % of the leads, and the planner, trusting the narrowed pattern, intersected its 111,111
        // leads with the 2,000,000 of the chatbot's range: 0.46 s instead of 36 ms by the range.
        int trigrams = pieces.stream().mapToInt(piece -> piece.length() - 2).sum();
        return leftOut && trigrams >= MIN_NARROWED_TRIGRAMS ? "%" + String.join("%", pieces) + "%" : null;
    }

    /** Adds [from, to) when it holds a trigram; the end of the last piece added. */
    private static int addPiece(String lowered, int from, int to, List<String> pieces, int lastEnd) {
        if (to - from < 3) {
            return lastEnd;
        }
        pieces.add(lowered.substring(from, to));
        return to;
    }

    private static boolean pieceCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /** The digits of a term written as a phone number (+, digits, spaces, dashes, dots, brackets), at least 3; else null. */
    static String phoneDigits(String term) {
        if (!term.matches("[+0-9 ()./-]+")) {
            return null;
        }
        String digits = term.replaceAll("[^0-9]", "");
        return digits.length() >= 3 ? digits : null;
    }

    /** The term with LIKE's wildcards taken literally, escaped with {@code escape}. */
    static String escape(String term, char escape) {
        String e = String.valueOf(escape);
        return term.replace(e, e + e).replace("%", e + "%").replace("_", e + "_");
    }
}
