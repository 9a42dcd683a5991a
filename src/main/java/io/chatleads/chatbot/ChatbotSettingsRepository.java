package io.chatleads.chatbot;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/** The lead-capture settings of chatbots: columns of {@code chatbots} and {@code chatbot_allowed_origins}. */
public final class ChatbotSettingsRepository {

    private final Jdbi jdbi;

    public ChatbotSettingsRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<ChatbotSettings> find(String chatbotId) {
        return jdbi.withHandle(handle -> find(handle, chatbotId));
    }

    /** Applies the change in one transaction; empty when the chatbot does not exist. */
    public Optional<ChatbotSettings> update(String chatbotId, ChatbotSettings.Change change) {
        return jdbi.inTransaction(handle -> {
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
        });
    }

    private static Optional<ChatbotSettings> find(Handle handle, String chatbotId) {
        record Row(boolean captureEnabled, String defaultRegion) {
        }
        Optional<Row> row = handle.createQuery("""
                        SELECT capture_enabled, default_region FROM chatbots WHERE id = :id
                        """)
                .bind("id", chatbotId)
                .map((rs, ctx) -> new Row(rs.getBoolean("capture_enabled"), rs.getString("default_region")))
                .findOne();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        List<String> origins = handle.createQuery("""
                        SELECT origin FROM chatbot_allowed_origins WHERE chatbot_id = :id ORDER BY origin
                        """)
                .bind("id", chatbotId)
                .mapTo(String.class)
                .list();
        return Optional.of(new ChatbotSettings(chatbotId, row.get().captureEnabled(), row.get().defaultRegion(), origins));
    }
}
