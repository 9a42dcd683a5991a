package io.chatleads.lead;

import io.chatleads.db.PositionalSql;
import io.chatleads.db.StaleReads;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

public final class LeadRepository {

    static final RowMapper<Lead> LEAD = (rs, ctx) -> LeadRow.read(rs);

    /**
     * The first get-leads page of a range: a seek on the index (chatbot_id, created_at DESC, id DESC)
     * to the range's newest entry that reads size + 1 entries. The id tie-break makes paging stable
     * when timestamps repeat.
     *
     * <p>The owner condition folds the ownership check into the page: a lead's owner_id is its
     * chatbot's owner, which never changes, so a page can never hold another owner's rows. get-leads
     * still asks the (cached) chatbot owner first, so that another owner's chatbot is refused
     * without a seek whose cost would tell how many leads it has.
     */
    static final String PAGE_FIRST_SQL = LeadRow.sql("""
            SELECT {columns}
            FROM leads
            WHERE chatbot_id = :chatbotId
              AND owner_id = :ownerId
              AND created_at >= :fromMillis
              AND created_at <= :toMillis
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """);

    /**
     * The page after a keyset cursor: {@link #PAGE_FIRST_SQL} plus the row-value comparison that
     * both databases turn into the index's start key. Only a real position may go there: PostgreSQL
     * starts the scan at the row value rather than at {@code created_at <= :toMillis}, so a
     * "largest position" placeholder on a first page made a dated page walk every newer lead of the
     * chatbot (84 ms instead of 0.04 ms under 1.2 million newer leads, BENCHMARKS.md 2026-11-24).
     */
    static final String PAGE_AFTER_SQL = LeadRow.sql("""
            SELECT {columns}
            FROM leads
            WHERE chatbot_id = :chatbotId
              AND owner_id = :ownerId
              AND created_at >= :fromMillis
              AND created_at <= :toMillis
              AND (created_at, id) < (:afterCreatedAt, :afterId)
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """);

    /**
     * A numbered page past the first, as a deferred join: the inner query walks the OFFSET in the
     * index alone (on PostgreSQL an index-only scan, since chatbot_id, created_at and id are its
     * keys), and only the page's own rows are read from the table. A plain LIMIT/OFFSET reads every
     * skipped row from the table too, which at page 2,000 of 100 is 200,000 random reads. The owner
     * condition is as in {@link #PAGE_AFTER_SQL}, on the outer query only, which reads the rows.
     */
    static final String PAGE_AT_OFFSET_SQL = LeadRow.sql("""
            SELECT {columns}
            FROM leads
            WHERE chatbot_id = :chatbotId
              AND owner_id = :ownerId
              AND created_at >= :fromMillis
              AND created_at <= :toMillis
              AND (created_at, id) <= (
                  SELECT created_at, id FROM leads
                  WHERE chatbot_id = :chatbotId
                    AND created_at >= :fromMillis
                    AND created_at <= :toMillis
                  ORDER BY created_at DESC, id DESC
                  LIMIT 1 OFFSET :offset)
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """);

    /**
     * {@link #PAGE_AT_OFFSET_SQL} for a request without dates. The OFFSET walk costs per index
     * entry skipped, and with no bounds to check on each entry it is about a quarter faster at
     * page 1,000 of 100 (BENCHMARKS.md, 2026-11-23 late).
     */
    static final String PAGE_AT_OFFSET_ALL_DATES_SQL = LeadRow.sql("""
            SELECT {columns}
            FROM leads
            WHERE chatbot_id = :chatbotId
              AND owner_id = :ownerId
              AND (created_at, id) <= (
                  SELECT created_at, id FROM leads
                  WHERE chatbot_id = :chatbotId
                  ORDER BY created_at DESC, id DESC
                  LIMIT 1 OFFSET :offset)
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """);

    // Positional: it runs on plain JDBC (see insert), and as $n on an event loop (EventLoopLeads).
    static final String INSERT_SQL = LeadRow.sql("""
            INSERT INTO leads ({newColumns})
            VALUES ({newValues})
            RETURNING id
            """);

    // The same for a batch, whose ids are not needed or come back as generated keys.
    private static final String INSERT_MANY_SQL = LeadRow.sql("""
            INSERT INTO leads ({newColumns})
            VALUES ({newValues})
            """);

    private static final String FIND_SQL = LeadRow.sql("""
            SELECT {columns}
            FROM leads WHERE id = :id
            """);


    private static final PositionalSql PAGE_FIRST = PositionalSql.of(PAGE_FIRST_SQL);
    private static final PositionalSql PAGE_AFTER = PositionalSql.of(PAGE_AFTER_SQL);
    private static final PositionalSql PAGE_AT_OFFSET = PositionalSql.of(PAGE_AT_OFFSET_SQL);
    private static final PositionalSql PAGE_AT_OFFSET_ALL_DATES = PositionalSql.of(PAGE_AT_OFFSET_ALL_DATES_SQL);

    /** One of the page queries with its values: what JDBC here and {@link EventLoopLeads} both run. */
    record PageStatement(PositionalSql sql, Map<String, Object> values) {
    }

    private final Jdbi jdbi;
    // Pages and export chunks: a replica's pool when one is up, else the primary's.
    private final StaleReads staleReads;
    private final List<LeadCreatedListener> listeners;

    /** Every read on the primary: {@code dataSource} is the pool behind {@code jdbi}; the page queries use it directly. */
    public LeadRepository(Jdbi jdbi, DataSource dataSource, List<LeadCreatedListener> listeners) {
        this(jdbi, StaleReads.primaryOnly(jdbi, dataSource), listeners);
    }

    /**
     * {@code jdbi}: the primary, for writes and every read but pages and export chunks, which go
     * through {@code staleReads}.
     */
    public LeadRepository(Jdbi jdbi, StaleReads staleReads, List<LeadCreatedListener> listeners) {
        this.jdbi = jdbi;
        this.staleReads = staleReads;
        this.listeners = List.copyOf(listeners);
    }

    /** Stores the lead and runs every listener in the same transaction. */
    public Lead create(NewLead lead) {
        return jdbi.inTransaction(handle -> insert(handle, lead));
    }

    /**
     * Stores the lead within the caller's transaction, listeners included. Plain JDBC on the
     * transaction's connection, like the page query: this runs once per widget submission.
     */
    public Lead insert(Handle transaction, NewLead lead) {
        Lead created = insertRow(transaction, lead);
        notifyListeners(transaction, List.of(created));
        return created;
    }

    private void notifyListeners(Handle transaction, List<Lead> created) {
        for (LeadCreatedListener listener : listeners) {
            listener.leadsCreated(transaction, created);
        }
    }

    private static Lead insertRow(Handle transaction, NewLead lead) {
        long id;
        try (PreparedStatement statement = transaction.getConnection().prepareStatement(INSERT_SQL)) {
            LeadRow.bind(statement, 1, lead);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                id = rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a lead failed: " + e.getMessage(), e);
        }
        return LeadRow.stored(id, lead);
    }

    /**
     * Up to {@code size + 1} leads of the page, only those of the query's owner: the extra one,
     * when present, only says that another page exists, which spares counting the whole range.
     */
    public List<Lead> pageWithLookahead(LeadPageQuery query) {
        return page(pageWithLookaheadStatement(query));
    }

    /** The query that {@link #pageWithLookahead} runs for {@code query}. */
    static PageStatement pageWithLookaheadStatement(LeadPageQuery query) {
        if (query.after() == null && query.page() > 1) {
            if (query.fromMillis() == Long.MIN_VALUE && query.toMillis() == Long.MAX_VALUE) {
                return new PageStatement(PAGE_AT_OFFSET_ALL_DATES, Map.of("chatbotId", query.chatbotId(),
                        "ownerId", query.ownerId(), "offset", query.offset(), "limit", query.size() + 1));
            }
            return new PageStatement(PAGE_AT_OFFSET, Map.of("chatbotId", query.chatbotId(), "ownerId", query.ownerId(),
                    "fromMillis", query.fromMillis(), "toMillis", query.toMillis(),
                    "offset", query.offset(), "limit", query.size() + 1));
        }
        return pageAfter(query.chatbotId(), query.ownerId(), query.fromMillis(), query.toMillis(), query.after(),
                query.size() + 1);
    }

    /**
     * Up to {@code limit} of the owner's leads of a range, newest first, strictly older than the
     * (createdAt, id) position given (null for the start): keyset chunks for streaming a range of
     * any size, such as the CSV export.
     */
    public List<Lead> rangeAfter(String chatbotId, String ownerId, long fromMillis, long toMillis, Lead after, int limit) {
        return page(pageAfter(chatbotId, ownerId, fromMillis, toMillis, after == null ? null : LeadCursor.after(after),
                limit));
    }

    /** The range's first page when {@code after} is null, else the page after that position. */
    private static PageStatement pageAfter(String chatbotId, String ownerId, long fromMillis, long toMillis,
                                           LeadCursor after, int limit) {
        if (after == null) {
            return new PageStatement(PAGE_FIRST, Map.of("chatbotId", chatbotId, "ownerId", ownerId,
                    "fromMillis", fromMillis, "toMillis", toMillis, "limit", limit));
        }
        // The upper bound is tightened to the position explicitly: SQLite seeks the index on the
        // created_at bounds, not on the row value, and would otherwise rescan everything before it.
        long upper = Math.min(toMillis, after.createdAtMillis());
        return new PageStatement(PAGE_AFTER, Map.of("chatbotId", chatbotId, "ownerId", ownerId,
                "fromMillis", fromMillis, "toMillis", upper,
                "afterCreatedAt", after.createdAtMillis(), "afterId", after.id(), "limit", limit));
    }

    /**
     * The page query on plain JDBC: on the hot path JDBI's per-call handle and statement setup was
     * about a tenth of the server's CPU (JFR, BENCHMARKS.md). The driver still prepares the
     * statement on the server once per connection and reuses it.
     */
    private List<Lead> page(PageStatement page) {
        // Both may be a check interval plus CHATLEADS_DB_READ_MAX_LAG_SECONDS stale (a replica's).
        return staleReads.withDataSource(dataSource -> page(dataSource, page));
    }

    private static List<Lead> page(DataSource dataSource, PageStatement page) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(page.sql().text())) {
            page.sql().bind(statement, page.values());
            List<Lead> leads = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    leads.add(LEAD.map(rows, null));
                }
            }
            return leads;
        } catch (SQLException e) {
            throw new IllegalStateException("the get-leads page query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stores leads in the caller's transaction. Without listeners it is one COPY on PostgreSQL and
     * one JDBC batch on SQLite. With them, the leads are stored first, with their ids (one batch
     * on PostgreSQL, row by row in SQLite's process), and then every listener gets them all at once.
     */
    public void insertAll(Handle transaction, List<NewLead> batch, boolean notifyListeners) {
        if (notifyListeners && !listeners.isEmpty()) {
            List<Lead> created = PostgresCopy.supports(transaction)
                    ? insertReturningIds(transaction, batch)
                    : batch.stream().map(lead -> insertRow(transaction, lead)).toList();
            notifyListeners(transaction, created);
            return;
        }
        if (batch.isEmpty()) {
            return;
        }
        if (PostgresCopy.supports(transaction)) {
            PostgresCopy.copy(transaction, batch);
            return;
        }
        batchInsert(transaction, batch).execute();
    }

    private static List<Lead> insertReturningIds(Handle transaction, List<NewLead> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        // A listener's row that references the lead (a webhook delivery) has its foreign key checked
        // with a plan PostgreSQL prepares once per connection and then keeps. Made while the table
        // was nearly empty, that plan scans the whole table, and a long import then rereads every
        // earlier lead for each new one (100,000 leads: 596 s). Planning each check afresh sees the
        // table as it grows and uses the primary key.
        transaction.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        LeadCounts counts = LeadCounts.begin(transaction);
        PreparedBatch insert = batchInsert(transaction, batch);
        // pgjdbc returns the generated keys in the order of the batch.
        List<Long> ids = insert.executePreparedBatch("id").mapTo(Long.class).list();
        counts.addAll(batch);
        counts.store(transaction);
        List<Lead> created = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            created.add(LeadRow.stored(ids.get(i), batch.get(i)));
        }
        return created;
    }

    /** {@link #INSERT_MANY_SQL} once per lead of the batch. */
    private static PreparedBatch batchInsert(Handle transaction, List<NewLead> batch) {
        PreparedBatch insert = transaction.prepareBatch(INSERT_MANY_SQL);
        for (NewLead lead : batch) {
            Object[] values = LeadRow.values(lead);
            for (int i = 0; i < values.length; i++) {
                insert.bind(i, values[i]);
            }
            insert.add();
        }
        return insert;
    }

    /**
     * Loads every lead {@code source} gives (until it gives null) with no listener: no webhook
     * event, no counter. For {@code dev seed}'s benchmark data, at bounded memory whatever the
     * count: one COPY streamed in chunks on PostgreSQL, transactions of 10,000 on SQLite. Then
     * statistics for the planner (and on PostgreSQL a visibility map for index-only scans), as a
     * long-running database would have them. Returns the number loaded.
     */
    public long bulkLoad(Supplier<NewLead> source) {
        long loaded = jdbi.inTransaction(handle -> {
            if (!PostgresCopy.supports(handle)) {
                return 0L;
            }
            try (PostgresCopy.Stream copy = PostgresCopy.open(handle)) {
                for (NewLead lead; (lead = source.get()) != null; ) {
                    copy.write(lead);
                }
                return copy.finish();
            }
        });
        boolean postgres = loaded > 0 || jdbi.withHandle(PostgresCopy::supports);
        if (!postgres) {
            for (long batch = 10_000; batch == 10_000; ) {
                List<NewLead> leads = new ArrayList<>(10_000);
                for (NewLead lead; leads.size() < 10_000 && (lead = source.get()) != null; ) {
                    leads.add(lead);
                }
                batch = leads.size();
                if (batch > 0) {
                    jdbi.useTransaction(handle -> batchInsert(handle, leads).execute());
                }
                loaded += batch;
            }
        }
        // Outside a transaction: VACUUM may not run in one.
        jdbi.useHandle(handle -> {
            if (postgres) {
                handle.execute("VACUUM (ANALYZE) leads");
            }
            handle.execute("ANALYZE");
        });
        return loaded;
    }

    /** Erases a lead for good; false when it did not exist. */
    public boolean delete(long id) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM leads WHERE id = :id")
                .bind("id", id)
                .execute()) > 0;
    }

    public Optional<Lead> find(long id) {
        return jdbi.withHandle(handle -> handle.createQuery(FIND_SQL)
                .bind("id", id)
                .map(LEAD)
                .findOne());
    }
}
