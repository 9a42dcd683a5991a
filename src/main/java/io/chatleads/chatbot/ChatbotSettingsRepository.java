package io.chatleads.chatbot;

import io.chatleads.Cache;
import io.chatleads.db.LoopConnections;
import io.chatleads.db.PositionalSql;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collector;
import java.util.stream.Collectors;

/** The lead-capture settings of chatbots: columns of {@code chatbots} and {@code chatbot_allowed_origins}. */
public final class ChatbotSettingsRepository {

    // One round trip for the chatbot, its settings and its origins: the widget's hot path.
    private static final String CAPTURE_TARGET_SQL = """
            SELECT c.id, c.owner_id, c.name, c.created_at, c.capture_enabled, c.default_region, o.origin
            FROM chatbots c
            LEFT JOIN chatbot_allowed_origins o ON o.chatbot_id = c.id
            WHERE c.id = :id
            ORDER BY o.origin
            """;

    private static final String CAPTURE_TARGET_NUMBERED_SQL = PositionalSql.of(CAPTURE_TARGET_SQL).numberedText();

    // The same for all of an owner's chatbots in one round trip, oldest first like the chatbot list.
    private static final String OWNER_CAPTURE_TARGETS_SQL = """
            SELECT c.id, c.owner_id, c.name, c.created_at, c.capture_enabled, c.default_region, o.origin
            FROM chatbots c
            LEFT JOIN chatbot_allowed_origins o ON o.chatbot_id = c.id
            WHERE c.owner_id = :ownerId
            ORDER BY c.created_at, c.id, o.origin
            """;

    private final Jdbi jdbi;
    private final Cache<String, CaptureTarget> captureTargets;

    /**
     * With a non-zero {@code cacheTtl}, {@link #captureTarget} answers from memory for that long:
     * a change made through this repository applies at once, one made by another server within
     * the TTL.
     */
    public ChatbotSettingsRepository(Jdbi jdbi, Duration cacheTtl, Executor loads) {
        this.jdbi = jdbi;
        // Missing chatbots are remembered as well, so a submission to one answers like one to a
        // chatbot that takes no leads or belongs to another owner (see ChatbotRepository's owners).
        this.captureTargets = new Cache<>(cacheTtl, 100_000, Cache.Absence.REMEMBERED,
                id -> jdbi.withHandle(handle -> load(handle, id)).orElse(null), loads);
    }

    public Optional<ChatbotSettings> find(String chatbotId) {
        return jdbi.withHandle(handle -> load(handle, chatbotId)).map(CaptureTarget::settings);
    }

    /** Every chatbot of the owner with its settings, oldest first; read in one query, never cached. */
    public List<CaptureTarget> listByOwner(String ownerId) {
        return jdbi.withHandle(handle -> handle.createQuery(OWNER_CAPTURE_TARGETS_SQL)
                .bind("ownerId", ownerId)
                .map(TargetRow::read)
                .list())
                .stream().collect(groupedByChatbot());
    }

    /**
     * The chatbot with its settings, for lead submissions, or null when there is no such chatbot;
     * cached (see the constructor), done at once on a hit.
     */
    public CompletableFuture<CaptureTarget> captureTarget(String chatbotId) {
        return captureTargets.get(chatbotId);
    }

    /**
     * {@link #captureTarget(String)}, a miss read through {@code read} (see {@link #readCaptureTarget})
     * instead of JDBC on a worker (null: JDBC, as {@link #captureTarget(String)}): the same cache,
     * hits and absences alike.
     */
    public CompletableFuture<CaptureTarget> captureTarget(String chatbotId,
                                                          Function<String, CompletionStage<CaptureTarget>> read) {
        return captureTargets.get(chatbotId, read);
    }

    /**
     * The capture target read on an event loop's own connection ({@code connections}), or null when
     * there is no such chatbot: the same query and the same folding of its rows as the JDBC read.
     */
    public static CompletionStage<CaptureTarget> readCaptureTarget(LoopConnections connections, String chatbotId) {
        return connections.read(connection -> connection.preparedQuery(CAPTURE_TARGET_NUMBERED_SQL).execute(Tuple.of(chatbotId)))
                .map(rows -> {
                    List<TargetRow> read = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        read.add(TargetRow.readRow(row));
                    }
                    return read.stream().collect(groupedByChatbot()).stream().findFirst().orElse(null);
                })
                .toCompletionStage();
    }

    /** Drops what this server remembers of the chatbot; {@link ChatbotRepository#onCreateOrDelete} calls it. */
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
        List<CaptureTarget> found = handle.createQuery(CAPTURE_TARGET_SQL)
                .bind("id", chatbotId)
                .map(TargetRow::read)
                .list()
                .stream().collect(groupedByChatbot());
        return found.stream().findFirst();
    }

    /** One row of the chatbot-with-origins join: the chatbot repeated once per allowed origin. */
    private record TargetRow(String chatbotId, String ownerId, String name, long createdAt, boolean captureEnabled,
                             String defaultRegion, String origin) {
        static TargetRow readRow(Row row) {
            return new TargetRow(row.getString("id"), row.getString("owner_id"), row.getString("name"),
                    row.getLong("created_at"), row.getBoolean("capture_enabled"), row.getString("default_region"),
                    row.getString("origin"));
        }

        static TargetRow read(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TargetRow(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                    rs.getLong("created_at"), rs.getBoolean("capture_enabled"), rs.getString("default_region"),
                    rs.getString("origin"));
        }
    }

    /** Folds consecutive rows of one chatbot into its capture target, keeping the rows' order. */
    private static Collector<TargetRow, ?, List<CaptureTarget>> groupedByChatbot() {
        return Collectors.collectingAndThen(
                Collectors.groupingBy(TargetRow::chatbotId, LinkedHashMap::new, Collectors.toList()),
                byChatbot -> byChatbot.values().stream().map(ChatbotSettingsRepository::target).toList());
    }

    private static CaptureTarget target(List<TargetRow> rows) {
        TargetRow first = rows.get(0);
        List<String> origins = new ArrayList<>(rows.size());
        for (TargetRow row : rows) {
            if (row.origin() != null) {
                origins.add(row.origin());
            }
        }
        return new CaptureTarget(
                new Chatbot(first.chatbotId(), first.ownerId(), first.name(), Instant.ofEpochMilli(first.createdAt())),
                new ChatbotSettings(first.chatbotId(), first.captureEnabled(), first.defaultRegion(), origins));
    }
}
