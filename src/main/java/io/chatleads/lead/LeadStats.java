package io.chatleads.lead;

import io.chatleads.db.StaleReads;
import org.jdbi.v3.core.statement.Query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Counts of leads: per day of a date range in a time zone (the console's chart and
 * {@code GET /api/v1/chatbots/{chatbotId}/lead-stats}), and per chatbot (the chatbot list).
 * Callers check that the chatbot is the caller's first: these queries read only the index
 * {@code leads_chatbot_created_id}, which holds no owner.
 */
public final class LeadStats {

    private static final long DAY_MILLIS = 86_400_000L;
    // Added before dividing so that every instant of a four-digit year is positive, where integer
    // division (which both databases truncate toward zero) is floor division; taken off after.
    private static final long SHIFT_DAYS = 1_000_000L;
    // lead_counts' bucket: floor(created_at / BUCKET_MILLIS), kept by V16's triggers (which say why a quarter hour).
    static final long BUCKET_MILLIS = 900_000L;

    /** Leads per day, every day of the range present (zero when none), in date order. */
    public record Daily(LocalDate startDate, LocalDate endDate, ZoneId zone, Map<LocalDate, Long> counts) {

        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A chatbot's lead count, and how many of those came since the instant asked about. */
    public record ChatbotCounts(long total, long recent) {
        public static final ChatbotCounts NONE = new ChatbotCounts(0, 0);
    }

    // Every count may be a replica's: a check interval plus CHATLEADS_DB_READ_MAX_LAG_SECONDS stale.
    private final StaleReads reads;

    public LeadStats(StaleReads reads) {
        this.reads = reads;
    }

    /**
     * Leads per local day of the range. From the quarter-hour counts ({@code lead_counts}, V16) when
     * the range's local days are whole quarter hours, which holds for every zone since about 1980;
     * else, or with {@code countLeads}, by counting the leads themselves. Both give the same counts
     * ({@code AbstractLeadStatsTest} compares them over many zones and ranges).
     */
    public Daily daily(String chatbotId, LocalDate startDate, LocalDate endDate, ZoneId zone) {
        ZonedRange range = ZonedRange.of(startDate, endDate, zone);
        return counted(startDate, endDate, zone, range.inWholeBuckets() ? fromCounts(chatbotId, range) : fromLeads(chatbotId, range));
    }

    /** {@link #daily} by counting the chatbot's leads in the range, whatever the zone: what the counts must equal. */
    Daily dailyCountingLeads(String chatbotId, LocalDate startDate, LocalDate endDate, ZoneId zone) {
        return counted(startDate, endDate, zone, fromLeads(chatbotId, ZonedRange.of(startDate, endDate, zone)));
    }

    private static Daily counted(LocalDate startDate, LocalDate endDate, ZoneId zone, Map<Long, Long> byDay) {
        Map<LocalDate, Long> counts = new LinkedHashMap<>();
        for (LocalDate day = startDate; !day.isAfter(endDate); day = day.plusDays(1)) {
            counts.put(day, byDay.getOrDefault(day.toEpochDay(), 0L));
        }
        return new Daily(startDate, endDate, zone, counts);
    }

    /**
     * The instants of a range of local days, and the zone's offsets from UTC inside it: constant
     * between the zone's transitions, so a query carries them as a CASE over the transitions inside
     * the range (none for UTC, two a year for a zone with daylight saving time). Integer arithmetic
     * on the indexed column, portable to both databases, exact for any zone.
     */
    private record ZonedRange(long from, long to, List<Long> transitions, List<Long> offsets) {

        static ZonedRange of(LocalDate startDate, LocalDate endDate, ZoneId zone) {
            long from = startDate.atStartOfDay(zone).toInstant().toEpochMilli();
            long to = endDate.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
            List<Long> transitions = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            ZoneRules rules = zone.getRules();
            Instant at = Instant.ofEpochMilli(from);
            offsets.add(rules.getOffset(at).getTotalSeconds() * 1000L);
            for (ZoneOffsetTransition next = rules.nextTransition(at); next != null && next.getInstant().toEpochMilli() < to;
                 next = rules.nextTransition(next.getInstant())) {
                transitions.add(next.getInstant().toEpochMilli());
                offsets.add(next.getOffsetAfter().getTotalSeconds() * 1000L);
            }
            return new ZonedRange(from, to, transitions, offsets);
        }

        /**
         * True when the range's ends, the transitions inside it and the offsets are all whole
         * quarter hours: then every lead of a bucket falls on one local day, the day of the
         * bucket's start. Offsets of seconds (local mean time, before standard time) fail it.
         */
        boolean inWholeBuckets() {
            return whole(from) && whole(to) && transitions.stream().allMatch(LeadStats::whole)
                    && offsets.stream().allMatch(LeadStats::whole);
        }

        /** {@code CASE WHEN column < :transition0 THEN :offset0 ... ELSE :offsetN END}, or {@code :offset0} without transitions. */
        String offsetOf(String column) {
            if (transitions.isEmpty()) {
                return ":offset0";
            }
            StringBuilder offset = new StringBuilder("CASE");
            for (int i = 0; i < transitions.size(); i++) {
                offset.append(" WHEN ").append(column).append(" < :transition").append(i).append(" THEN :offset").append(i);
            }
            return offset.append(" ELSE :offset").append(transitions.size()).append(" END").toString();
        }

        /** Binds the transitions, divided by {@code unit} (1 for milliseconds, a bucket for buckets), and the offsets. */
        Query bind(Query query, long unit) {
            for (int i = 0; i < transitions.size(); i++) {
                query.bind("transition" + i, transitions.get(i) / unit);
            }
            for (int i = 0; i < offsets.size(); i++) {
                query.bind("offset" + i, offsets.get(i));
            }
            return query.bind("unit", unit).bind("shift", SHIFT_DAYS * DAY_MILLIS).bind("day", DAY_MILLIS);
        }
    }

    private static boolean whole(long millis) {
        return Math.floorMod(millis, BUCKET_MILLIS) == 0;
    }

    /**
     * Local day by local day, summing the range's quarter hours: the day of a bucket is that of its
     * start. At most 96 rows a day whatever the leads. Plans: PostgreSQL, an Index Only Scan of
     * lead_counts_pkey (which includes the count) on (chatbot_id = $1, bucket range) feeding a
     * HashAggregate, 8.7 ms for the 35,040 quarter hours of a year in the benchmark's big chatbot;
     * SQLite, SEARCH lead_counts USING PRIMARY KEY (chatbot_id=? AND bucket>? AND bucket<?) and a
     * temporary B-tree for GROUP BY (BENCHMARKS.md).
     */
    private Map<Long, Long> fromCounts(String chatbotId, ZonedRange range) {
        String sql = """
                SELECT (bucket * :unit + %s + :shift) / :day AS local_day, sum(leads) AS leads
                FROM lead_counts
                WHERE chatbot_id = :chatbotId AND bucket >= :from AND bucket < :to
                GROUP BY 1
                """.formatted(range.offsetOf("bucket"));
        return byDay(range, sql, BUCKET_MILLIS, chatbotId);
    }

    /**
     * One query, grouping by the local day of each lead: the day is (created_at + offset) divided
     * by a day's milliseconds (the unit, 1 here, lets both queries share their bindings).
     *
     * <p>Plans, on the benchmark's 200,000-lead chatbot: PostgreSQL, an Index Only Scan of
     * leads_chatbot_created_id on (chatbot_id = $1, created_at range) feeding a HashAggregate;
     * SQLite, SEARCH leads USING COVERING INDEX leads_chatbot_created_id (chatbot_id=? AND
     * created_at>? AND created_at<?) with a temporary B-tree for GROUP BY (BENCHMARKS.md).
     */
    private Map<Long, Long> fromLeads(String chatbotId, ZonedRange range) {
        String sql = """
                SELECT (created_at * :unit + %s + :shift) / :day AS local_day, count(*) AS leads
                FROM leads
                WHERE chatbot_id = :chatbotId AND created_at >= :from AND created_at < :to
                GROUP BY 1
                """.formatted(range.offsetOf("created_at"));
        return byDay(range, sql, 1, chatbotId);
    }

    /** Runs one of the two per-day queries, its range and transitions in {@code unit}s: epoch day -> leads. */
    private Map<Long, Long> byDay(ZonedRange range, String sql, long unit, String chatbotId) {
        // Collected afresh on each try: a read a replica failed is asked again on the primary.
        return reads.withJdbi(jdbi -> jdbi.withHandle(handle -> {
            Map<Long, Long> found = new HashMap<>();
            range.bind(handle.createQuery(sql), unit)
                    .bind("chatbotId", chatbotId)
                    .bind("from", range.from() / unit)
                    .bind("to", range.to() / unit)
                    .map((rs, ctx) -> Map.entry(rs.getLong("local_day") - SHIFT_DAYS, rs.getLong("leads")))
                    .forEach(day -> found.put(day.getKey(), day.getValue()));
            return found;
        }));
    }

    /**
     * Each chatbot's lead count and its leads at or after {@code sinceMillis}, in one query: the
     * chatbots' quarter hours from lead_counts' primary key, and the leads of the quarter hour
     * {@code sinceMillis} falls inside (after it) from leads_chatbot_created_id (both databases).
     */
    public Map<String, ChatbotCounts> perChatbot(List<String> chatbotIds, long sinceMillis) {
        long wholeFrom = -Math.floorDiv(-sinceMillis, BUCKET_MILLIS); // the first whole quarter hour at or after it
        return perChatbot(chatbotIds, """
                SELECT chatbot_id, sum(total) AS total, sum(recent) AS recent
                FROM (SELECT chatbot_id, leads AS total, CASE WHEN bucket >= :wholeFrom THEN leads ELSE 0 END AS recent
                      FROM lead_counts
                      WHERE chatbot_id IN (<ids>)
                      UNION ALL
                      SELECT chatbot_id, 0, 1
                      FROM leads
                      WHERE chatbot_id IN (<ids>) AND created_at >= :since AND created_at < :wholeFromMillis) counted
                GROUP BY chatbot_id
                """, query -> query.bind("since", sinceMillis).bind("wholeFrom", wholeFrom)
                .bind("wholeFromMillis", wholeFrom * BUCKET_MILLIS));
    }

    /** {@link #perChatbot} by counting the leads: what the counts must equal. */
    Map<String, ChatbotCounts> perChatbotCountingLeads(List<String> chatbotIds, long sinceMillis) {
        return perChatbot(chatbotIds, """
                SELECT chatbot_id, count(*) AS total, count(CASE WHEN created_at >= :since THEN 1 END) AS recent
                FROM leads
                WHERE chatbot_id IN (<ids>)
                GROUP BY chatbot_id
                """, query -> query.bind("since", sinceMillis));
    }

    private Map<String, ChatbotCounts> perChatbot(List<String> chatbotIds, String sql, UnaryOperator<Query> bind) {
        if (chatbotIds.isEmpty()) {
            return new HashMap<>();
        }
        return reads.withJdbi(jdbi -> jdbi.withHandle(handle -> bind.apply(handle.createQuery(sql).bindList("ids", chatbotIds))
                .map((rs, ctx) -> Map.entry(rs.getString("chatbot_id"), new ChatbotCounts(rs.getLong("total"), rs.getLong("recent"))))
                .collectToMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
