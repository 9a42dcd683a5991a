package io.chatleads.chatbot;

import io.chatleads.ExpiringCache;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The lead-capture settings of chatbots: columns of {@code chatbots} and {@code chatbot_allowed_origins}. */
public final class ChatbotSettingsRepository {

    // One round trip for the chatbot, its settings and its origins: the widget's hot path.
    private static final String CAPTURE_TARGET_SQL = """
            SELECT c.owner_id, c.name, c.created_at, c.capture_enabled, c.default_region, o.origin
            FROM chatbots c
            LEFT JOIN chatbot_allowed_origins o ON o.chatbot_id = c.id
            WHERE c.id = :id
            ORDER BY o.origin
            """;

    private final Jdbi jdbi;
    private final ExpiringCache<String, CaptureTarget> captureTargets;

    public ChatbotSettingsRepository(Jdbi jdbi) {
        this(jdbi, Duration.ZERO);
    }

    /**
     * With a non-zero {@code cacheTtl}, {@link #captureTarget} answers from memory for that long:
     * a change made through this repository applies at once, one made by another server within
     * the TTL.
     */
    public ChatbotSettingsRepository(Jdbi jdbi, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.captureTargets = new ExpiringCache<>(cacheTtl, 100_000);
    }

    public Optional<ChatbotSettings> find(String chatbotId) {
        return jdbi.withHandle(handle -> load(handle, chatbotId)).map(CaptureTarget::settings);
    }

    /** The chatbot with its settings, for lead submissions; cached (see the constructor). */
    public Optional<CaptureTarget> captureTarget(String chatbotId) {
        return Optional.ofNullable(captureTargets.get(chatbotId,
                id -> jdbi.withHandle(handle -> load(handle, id)).orElse(null)));
    }

    /** Drops what this server remembers of the chatbot; {@link ChatbotRepository#onDelete} calls it. */
    public void forget(String chatbotId) {
        captureTargets.forget(chatbotId);
    }

    /** Applies the change in one transaction; empty when the chatbot does not exist. */
    public Optional<ChatbotSettings> update(String chatbotId, ChatbotSettings.Change change) {
        try {
            return jdbi.inTransaction(handle -> apply(handle, chatbotId, change));
        } finally {
            captureTargets.forget(chatbotId);
        }
    }

    private static Optional<ChatbotSettings> apply(Handle handle, String chatbotId, ChatbotSettings.Change change) {
        if (find(handle, chatbotId).isEmpty()) {
            return Optional.empty();
        }
        change.name().ifPresent(name -> handle.createUpdate("UPDATE chatbots SET name = :name WHERE id = :id")
                .bind("name", name).bind("id", chatbotId).execute());
        change.captureEnabled().ifPresent(on -> handle.createUpdate(
                        "UPDATE chatbots SET capture_enabled = :on WHERE id = :id")
                .bind("on", on).bind("id", chatbotId).execute());
        change.defaultRegion().ifPresent(region -> handle.createUpdate(
                        "UPDATE chatbots SET default_region = :region WHERE id = :id")
                .bind("region", region.orElse(null)).bind("id", chatbotId).execute());
        change.allowedOrigins().ifPresent(origins -> {
            handle.createUpdate("DELETE FROM chatbot_allowed_origins WHERE chatbot_id = :id")
                    .bind("id", chatbotId).execute();
            var batch = handle.prepareBatch(
                    "INSERT INTO chatbot_allowed_origins (chatbot_id, origin) VALUES (:id, :origin)");
            for (String origin : origins) {
                batch.bind("id", chatbotId).bind("origin", origin).add();
            }
            if (!origins.isEmpty()) {
                batch.execute();
            }
        });
        return find(handle, chatbotId);
    }

    private static Optional<ChatbotSettings> find(Handle handle, String chatbotId) {
        return load(handle, chatbotId).map(CaptureTarget::settings);
    }

    private static Optional<CaptureTarget> load(Handle handle, String chatbotId) {
        record Row(String ownerId, String name, long createdAt, boolean captureEnabled, String defaultRegion,
                   String origin) {
        }
        List<Row> rows = handle.createQuery(CAPTURE_TARGET_SQL)
                .bind("id", chatbotId)
                .map((rs, ctx) -> new Row(rs.getString("owner_id"), rs.getString("name"), rs.getLong("created_at"),
                        rs.getBoolean("capture_enabled"), rs.getString("default_region"), rs.getString("origin")))
                .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row first = rows.get(0);
        List<String> origins = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.origin() != null) {
                origins.add(row.origin());
            }
        }
        return Optional.of(new CaptureTarget(
                new Chatbot(chatbotId, first.ownerId(), first.name(), Instant.ofEpochMilli(first.createdAt())),
                new ChatbotSettings(chatbotId, first.captureEnabled(), first.defaultRegion(), origins)));
    }
}
