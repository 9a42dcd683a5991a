package io.chatleads.lead;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class LeadRepository {

    static final RowMapper<Lead> LEAD = (rs, ctx) -> new Lead(
            rs.getLong("id"),
            rs.getString("chatbot_id"),
            rs.getString("owner_id"),
            rs.getString("name"),
            rs.getString("email"),
            rs.getString("phone"),
            rs.getString("conversation_id"),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    /**
     * The get-leads page. Served by the index (chatbot_id, created_at DESC, id DESC) as a range scan
     * in index order on both databases; the id tie-break makes paging stable when timestamps repeat.
     */
    static final String PAGE_SQL = """
            SELECT id, chatbot_id, owner_id, name, email, phone, conversation_id, created_at
            FROM leads
            WHERE chatbot_id = :chatbotId
              AND created_at >= :fromMillis
              AND created_at <= :toMillis
            ORDER BY created_at DESC, id DESC
            LIMIT :limit OFFSET :offset
            """;

    private static final String INSERT_SQL = """
            INSERT INTO leads (chatbot_id, owner_id, name, email, phone, conversation_id, created_at)
            VALUES (:chatbotId, :ownerId, :name, :email, :phone, :conversationId, :createdAt)
            RETURNING id
            """;

    private final Jdbi jdbi;
    private final List<LeadCreatedListener> listeners;

    public LeadRepository(Jdbi jdbi, List<LeadCreatedListener> listeners) {
        this.jdbi = jdbi;
        this.listeners = List.copyOf(listeners);
    }

    /** Stores the lead and runs every listener in the same transaction. */
    public Lead create(NewLead lead) {
        return jdbi.inTransaction(handle -> insert(handle, lead));
    }

    /** Stores the lead within the caller's transaction, listeners included. */
    public Lead insert(Handle transaction, NewLead lead) {
        long id = transaction.createQuery(INSERT_SQL)
                .bind("chatbotId", lead.chatbotId())
                .bind("ownerId", lead.ownerId())
                .bind("name", lead.name())
                .bind("email", lead.email())
                .bind("phone", lead.phone())
                .bind("conversationId", lead.conversationId())
                .bind("createdAt", lead.createdAt().toEpochMilli())
                .mapTo(Long.class)
                .one();
        Lead created = new Lead(id, lead.chatbotId(), lead.ownerId(), lead.name(), lead.email(), lead.phone(),
                lead.conversationId(), Instant.ofEpochMilli(lead.createdAt().toEpochMilli()));
        for (LeadCreatedListener listener : listeners) {
            listener.leadCreated(transaction, created);
        }
        return created;
    }

    /**
     * Up to {@code size + 1} leads of the page: the extra one, when present, only says that another
     * page exists, which spares counting the whole range.
     */
    public List<Lead> pageWithLookahead(LeadPageQuery query) {
        return jdbi.withHandle(handle -> handle.createQuery(PAGE_SQL)
                .bind("chatbotId", query.chatbotId())
                .bind("fromMillis", query.fromMillis())
                .bind("toMillis", query.toMillis())
                .bind("limit", query.size() + 1)
                .bind("offset", query.offset())
                .map(LEAD)
                .list());
    }

    public Optional<Lead> find(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, chatbot_id, owner_id, name, email, phone, conversation_id, created_at
                        FROM leads WHERE id = :id
                        """)
                .bind("id", id)
                .map(LEAD)
                .findOne());
    }
}
