package io.chatleads.widget;

import io.chatleads.Cache;
import io.chatleads.db.Dialect;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/** The widget settings of chatbots: one row of {@code widget_settings} per chatbot that has changed them. */
public final class WidgetSettingsRepository {

    private static final String FIND_SQL = """
            SELECT settings FROM widget_settings WHERE chatbot_id = :id
            """;

    // The chatbot's row, locked on PostgreSQL until the change commits: two changes to one
    // chatbot's settings then apply one after the other, neither losing the other's fields.
    // SQLite needs no lock: its write transactions begin IMMEDIATE (db/Database), one at a time.
    private static final String LOCK_CHATBOT_SQL = """
            SELECT id FROM chatbots WHERE id = :id
            """;

    private static final String UPSERT_SQL = """
            INSERT INTO widget_settings (chatbot_id, settings, updated_at)
            VALUES (:id, :settings, :updatedAt)
            ON CONFLICT (chatbot_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
            """;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final WidgetSettingsJson json;
    private final Cache<String, WidgetSettings> published;

    /**
     * With a non-zero {@code cacheTtl}, {@link #published} answers from memory for that long: a
     * change made through this repository applies at once, one made by another server within the TTL.
     */
    public WidgetSettingsRepository(Jdbi jdbi, Dialect dialect, Clock clock, WidgetSettingsJson json,
                                    Duration cacheTtl, Executor loads) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.clock = clock;
        this.json = json;
        this.published = new Cache<>(cacheTtl, 100_000, this::find, loads);
    }

    /** {@link #find} for the public configuration, which every page view of a site may ask for; cached. */
    public CompletableFuture<WidgetSettings> published(String chatbotId) {
        return published.get(chatbotId);
    }

    /** Drops what this server remembers of the chatbot's settings (it was deleted). */
    public void forget(String chatbotId) {
        published.forget(chatbotId);
    }

    /** The chatbot's settings, or the defaults when it never changed them (or does not exist: callers check). */
    public WidgetSettings find(String chatbotId) {
        return jdbi.withHandle(handle -> load(handle, chatbotId));
    }

    /** Applies {@code change} to the chatbot's current settings in one transaction; empty when the chatbot does not exist. */
    public Optional<WidgetSettings> update(String chatbotId, UnaryOperator<WidgetSettings> change) {
        try {
            return jdbi.inTransaction(handle -> apply(handle, chatbotId, change));
        } finally {
            published.forget(chatbotId);
        }
    }

    private Optional<WidgetSettings> apply(Handle handle, String chatbotId, UnaryOperator<WidgetSettings> change) {
        String lock = dialect == Dialect.POSTGRESQL ? LOCK_CHATBOT_SQL.strip() + " FOR UPDATE" : LOCK_CHATBOT_SQL;
        if (handle.createQuery(lock).bind("id", chatbotId).mapTo(String.class).findOne().isEmpty()) {
            return Optional.empty();
        }
        WidgetSettings changed = change.apply(load(handle, chatbotId));
        handle.createUpdate(UPSERT_SQL)
                .bind("id", chatbotId)
                .bind("settings", json.storage(changed))
                .bind("updatedAt", clock.millis())
                .execute();
        return Optional.of(changed);
    }

    private WidgetSettings load(Handle handle, String chatbotId) {
        return handle.createQuery(FIND_SQL).bind("id", chatbotId).mapTo(String.class).findOne()
                .map(json::fromStorage)
                .orElseGet(WidgetSettings::defaults);
    }
}
