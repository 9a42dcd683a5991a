package io.chatleads.chatbot;

import io.chatleads.RandomIds;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class ChatbotRepository {

    private static final RowMapper<Chatbot> CHATBOT = (rs, ctx) -> new Chatbot(
            rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private static final int ID_LENGTH = 21;

    private final Jdbi jdbi;
    private final Clock clock;

    public ChatbotRepository(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Chatbot create(String ownerId, String name) {
        Chatbot chatbot = new Chatbot(newId(), ownerId, name, Instant.ofEpochMilli(clock.millis()));
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO chatbots (id, owner_id, name, created_at)
                        VALUES (:id, :ownerId, :name, :createdAt)
                        """)
                .bind("id", chatbot.id())
                .bind("ownerId", chatbot.ownerId())
                .bind("name", chatbot.name())
                .bind("createdAt", chatbot.createdAt().toEpochMilli())
                .execute());
        return chatbot;
    }

    public Optional<Chatbot> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, owner_id, name, created_at FROM chatbots WHERE id = :id
                        """)
                .bind("id", id)
                .map(CHATBOT)
                .findOne());
    }

    /** The chatbot, only when {@code ownerId} owns it: callers cannot tell "absent" from "someone else's". */
    public Optional<Chatbot> findOwned(String id, String ownerId) {
        return find(id).filter(chatbot -> chatbot.ownerId().equals(ownerId));
    }

    public List<Chatbot> listByOwner(String ownerId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, owner_id, name, created_at FROM chatbots
                        WHERE owner_id = :ownerId
                        ORDER BY created_at, id
                        """)
                .bind("ownerId", ownerId)
                .map(CHATBOT)
                .list());
    }

    /** Deletes the chatbot and, through the foreign keys, its leads and settings; false when absent. */
    public boolean delete(String id) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM chatbots WHERE id = :id")
                .bind("id", id)
                .execute()) > 0;
    }

    static String newId() {
        return RandomIds.urlSafe(ID_LENGTH);
    }
}
