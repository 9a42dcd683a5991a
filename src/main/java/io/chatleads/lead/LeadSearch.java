package io.chatleads.lead;

import io.chatleads.db.Dialect;
import io.chatleads.error.InvalidInput;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.util.List;
import java.util.Locale;

/**
 * The console's leads table: a chatbot's leads in a range of instants, newest first, optionally
 * only those whose name, email or phone contains a search term, in keyset pages (never OFFSET):
 * a page after a cursor starts with a seek on leads_chatbot_created_id, so the last page costs
 * what the first does.
 *
 * <p>The search, on PostgreSQL, reads the trigram index leads_search_trgm (V14) when the planner
 * expects few matches: a term only one lead of the benchmark's 200,000-lead chatbot matches takes
 * 17 ms instead of 0.5 s; for a term many leads match ("example") it reads the chatbot's range
 * newest first and stops when the page is full. Without pg_trgm, and on SQLite, it is always that
 * range scan, so a term few leads match reads the chatbot's whole range (BENCHMARKS.md, console).
 */
public final class LeadSearch {

    public static final int MAX_TERM = 200;

    /**
     * Owner and chatbot as get-leads' page (LeadRepository.PAGE_FIRST_SQL): a page with rows proves
     * the chatbot is the owner's; the console checks ownership before it asks anyway.
     */
    private static final String PAGE_SQL = """
            SELECT id, chatbot_id, owner_id, name, email, phone, conversation_id, created_at
            FROM leads
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
    /**
     * The three fields as one text, lower-cased, for PostgreSQL: exactly the expression of the
     * trigram index leads_search_trgm (V14), joined by line breaks so that no match spans two
     * fields. LIKE's default escape character, the backslash, keeps the index usable.
     */
    static final String SEARCH_TEXT_POSTGRESQL =
            "lower(coalesce(name, '') || E'\\n' || coalesce(email, '') || E'\\n' || coalesce(phone, ''))";
    private static final String TERM_POSTGRESQL = "AND (" + SEARCH_TEXT_POSTGRESQL + " LIKE :pattern%s)";
    private static final String PHONE_POSTGRESQL = " OR " + SEARCH_TEXT_POSTGRESQL + " LIKE :digits";
    // lower() on both sides: SQLite's LIKE ignores ASCII case only; lower() makes the two databases
    // agree (on ASCII; PostgreSQL also folds other letters). SQLite has no default escape character.
    private static final String TERM_SQLITE = "AND (lower(name) LIKE :pattern ESCAPE '!' OR lower(email) LIKE :pattern ESCAPE '!'%s)";
    // Phones are stored in E.164, so a term that is a phone number written with spaces or dashes
    // is matched by its digits too.
    private static final String PHONE_SQLITE = " OR phone LIKE :digits ESCAPE '!'";

    private final Jdbi jdbi;
    private final Dialect dialect;

    public LeadSearch(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** A page of the search: up to {@code size} leads, and the cursor of the next page (null on the last). */
    public record Page(List<Lead> leads, LeadCursor next) {
    }

    /** {@code term} null or blank: every lead of the range. {@code after} null: the first page. */
    public Page page(String chatbotId, String ownerId, long fromMillis, long toMillis, String term, LeadCursor after,
                     int size) {
        String trimmed = term == null ? "" : term.strip();
        if (trimmed.length() > MAX_TERM) {
            throw new InvalidInput("search must be at most " + MAX_TERM + " characters");
        }
        long upper = after == null ? toMillis : Math.min(toMillis, after.createdAtMillis());
        boolean postgres = dialect == Dialect.POSTGRESQL;
        String digits = phoneDigits(trimmed);
        String termSql = trimmed.isEmpty() ? ""
                : postgres ? TERM_POSTGRESQL.formatted(digits == null ? "" : PHONE_POSTGRESQL)
                : TERM_SQLITE.formatted(digits == null ? "" : PHONE_SQLITE);
        String sql = PAGE_SQL.formatted(after == null ? "" : AFTER, termSql);
        char escape = postgres ? '\\' : '!';
        boolean searching = !trimmed.isEmpty();
        List<Lead> found = jdbi.inTransaction(handle -> {
            if (postgres && searching) {
                // Whether the trigram index pays depends on the term: a plan made for any term (the
                // generic plan the driver's prepared statement gets after five runs) read the range
                // for a term one lead matches, 0.45 s instead of 19 ms (BENCHMARKS.md, console).
                handle.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            }
            Query query = handle.createQuery(sql)
                    .bind("chatbotId", chatbotId)
                    .bind("ownerId", ownerId)
                    .bind("fromMillis", fromMillis)
                    // As in LeadRepository.pageAfter: SQLite seeks on the created_at bound, not the row value.
                    .bind("toMillis", upper)
                    .bind("limit", size + 1);
            if (after != null) {
                query.bind("afterCreatedAt", after.createdAtMillis()).bind("afterId", after.id());
            }
            if (!trimmed.isEmpty()) {
                query.bind("pattern", "%" + escape(trimmed.toLowerCase(Locale.ROOT), escape) + "%");
                if (digits != null) {
                    query.bind("digits", "%" + digits + "%");
                }
            }
            return query.map(LeadRepository.LEAD).list();
        });
        if (found.size() > size) {
            return new Page(found.subList(0, size), LeadCursor.after(found.get(size - 1)));
        }
        return new Page(found, null);
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
