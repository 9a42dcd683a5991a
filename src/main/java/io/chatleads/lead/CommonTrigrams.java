package io.chatleads.lead;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chatleads.db.StaleReads;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The trigrams that a large share of the stored leads contain, on PostgreSQL, from a sample of
 * leads: the trigrams of "example.com", "lead", a country code. Asking pg_trgm's GIN index for such
 * a trigram costs more than it narrows: the index intersects the term's trigrams by walking each
 * one's list of leads alongside the candidates of the rarest, and a trigram in every lead has a
 * list as long as the table. A whole email address searched in the benchmark's 10,000,000 leads read
 * 65,000 index pages (1.65 s) for its "example.com" alone; its digits alone read 146 (5.6 ms).
 * {@link LeadSearch#narrowing} leaves these trigrams out of what it asks the index.
 *
 * <p>A future, so that the first search after start and every later one take one path: the search
 * uses the set when it is there and the plain term while the first sample is still being read
 * (never waiting for it); the sample is read again every {@code refresh}, the old set serving
 * meanwhile. A sample that fails (the database away) leaves no set, and the next search asks again.
 * Only what the index is asked changes with the set, never which leads a search finds.
 */
final class CommonTrigrams {

    /** A trigram in at least this share of the sampled leads is common. */
    static final double SHARE = 0.05;
    /** About this many leads sampled (whole pages of the table: TABLESAMPLE SYSTEM). */
    static final int SAMPLE_ROWS = 5_000;
    static final Duration REFRESH = Duration.ofHours(1);

    /**
     * show_trgm lists each trigram of a text once, so a trigram's count is the number of sampled
     * leads that hold it. SYSTEM reads whole random pages, about SAMPLE_ROWS rows' worth as the
     * planner's row estimate tells (all of them while the table is smaller or never analysed): 192
     * ms at 10,000,000 leads, once an hour. Trigrams with a blank in them (pg_trgm's padding at word
     * ends) are never asked by a narrowed pattern, so they are not kept.
     */
    private static final String SAMPLE_SQL = """
            WITH sample AS (
                SELECT %s AS text
                FROM leads TABLESAMPLE SYSTEM ((SELECT least(100, 100.0 * :rows / greatest(reltuples, 1))
                                                FROM pg_class WHERE oid = 'leads'::regclass)))
            SELECT trigram
            FROM sample, unnest(show_trgm(text)) trigram
            WHERE strpos(trigram, ' ') = 0
            GROUP BY trigram
            HAVING count(*) >= :share * (SELECT count(*) FROM sample)
            """.formatted(LeadSearch.SEARCH_TEXT_POSTGRESQL);

    private final AsyncLoadingCache<Boolean, Set<String>> sampled;

    /** @param loads where the sample is read: never the searching thread, which does not wait for it */
    CommonTrigrams(StaleReads reads, Executor loads, Duration refresh) {
        this.sampled = Caffeine.newBuilder()
                .refreshAfterWrite(refresh)
                .executor(loads)
                .buildAsync(ignored -> sample(reads));
    }

    /** The set when it has been read, else empty (and then the first reading is under way). */
    Set<String> now() {
        return sampled.get(Boolean.TRUE).exceptionally(failure -> Set.of()).getNow(Set.of());
    }

    /** The set, once read. */
    CompletableFuture<Set<String>> get() {
        return sampled.get(Boolean.TRUE);
    }

    private static Set<String> sample(StaleReads reads) {
        List<String> common = reads.withJdbi(jdbi -> jdbi.withHandle(handle -> handle.createQuery(SAMPLE_SQL)
                .bind("rows", SAMPLE_ROWS)
                .bind("share", SHARE)
                .mapTo(String.class)
                .list()));
        return Set.copyOf(common);
    }
}
