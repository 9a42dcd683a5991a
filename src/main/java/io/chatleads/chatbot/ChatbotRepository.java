package io.chatleads.chatbot;

import io.chatleads.Cache;
import io.chatleads.RandomIds;
import io.chatleads.db.LoopConnections;
import io.chatleads.db.PositionalSql;
import io.vertx.sqlclient.Tuple;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

public final class ChatbotRepository {

    private static final RowMapper<Chatbot> CHATBOT = (rs, ctx) -> new Chatbot(
            rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private static final int ID_LENGTH = 21;

    // The chatbot's owner id, no row when there is no such chatbot: one primary-key look-up.
    private static final String OWNER_SQL = "SELECT owner_id FROM chatbots WHERE id = :id";
    private static final String OWNER_NUMBERED_SQL = PositionalSql.of(OWNER_SQL).numberedText();

    private final Jdbi jdbi;
    private final Clock clock;
    // chatbot id → owner id, and missing ids too (Absence.REMEMBERED): another owner's chatbot and
    // one that does not exist then both answer from memory, so their 404s cannot be told apart by
    // time (issue 20). A remembered absence can only hide a chatbot whose id someone asked for
    // before it existed, and ids are 126 random bits made at creation: nobody can ask for one
    // first. create() still forgets the id in this JVM's caches, so not even a guess could.
    private final Cache<String, String> owners;
    private final List<Consumer<String>> changeListeners = new CopyOnWriteArrayList<>();

    /**
     * With a non-zero {@code ownerCacheTtl}, {@link #owner} answers from memory for that long;
     * {@code loads} is where a miss reads the database (see {@link Cache}).
     */
    public ChatbotRepository(Jdbi jdbi, Clock clock, Duration ownerCacheTtl, Executor loads) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.owners = new Cache<>(ownerCacheTtl, 200_000, Cache.Absence.REMEMBERED, this::readOwner, loads);
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
        forgetEverywhere(chatbot.id());
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

    /**
     * Whether the chatbot exists and {@code ownerId} owns it: the get-leads guard, on every call.
     * A chatbot's owner never changes, so the cached answer can only go stale by deletion, and a
     * deleted chatbot's leads are deleted with it: within the TTL such a call sees an empty list
     * rather than a 404.
     */
    public boolean isOwnedBy(String id, String ownerId) {
        return ownerId.equals(owner(id).join());
    }

    /** The id of the chatbot's owner, null when there is no such chatbot; cached, done at once on a hit. */
    public CompletableFuture<String> owner(String id) {
        return owners.get(id);
    }

    /**
     * {@link #owner(String)}, a miss read through {@code read} (see {@link #readOwner(LoopConnections, String)})
     * instead of JDBC on a worker (null: JDBC, as {@link #owner(String)}): the same cache, hits and
     * absences alike.
     */
    public CompletableFuture<String> owner(String id, Function<String, CompletionStage<String>> read) {
        return owners.get(id, read);
    }

    /** The chatbot's owner id read on an event loop's own connection, or null when there is no such chatbot. */
    public static CompletionStage<String> readOwner(LoopConnections connections, String chatbotId) {
        return connections.read(connection -> connection.preparedQuery(OWNER_NUMBERED_SQL).execute(Tuple.of(chatbotId)))
                .map(rows -> rows.size() == 0 ? (String) null : rows.iterator().next().getString(0))
                .toCompletionStage();
    }

    private String readOwner(String chatbotId) {
        return jdbi.withHandle(handle -> handle.createQuery(OWNER_SQL)
                .bind("id", chatbotId)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
    }

    /** Deletes the chatbot and, through the foreign keys, its leads and settings; false when absent. */
    public boolean delete(String id) {
        boolean deleted = jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM chatbots WHERE id = :id")
                .bind("id", id)
                .execute()) > 0;
        // This JVM answers 404 for it at once; other servers within the cache TTL.
        forgetEverywhere(id);
        return deleted;
    }

    private void forgetEverywhere(String id) {
        owners.forget(id);
        changeListeners.forEach(listener -> listener.accept(id));
    }

    /**
     * Calls {@code listener} with the chatbot id after every creation and deletion through this
     * repository, so that other caches in this JVM ({@link ChatbotSettingsRepository}) drop what
     * they remember of it (its absence, or the deleted chatbot) at once.
     */
    public void onCreateOrDelete(Consumer<String> listener) {
        changeListeners.add(listener);
    }

    static String newId() {
        return RandomIds.urlSafe(ID_LENGTH);
    }
}
