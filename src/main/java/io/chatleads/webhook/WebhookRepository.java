package io.chatleads.webhook;

import io.chatleads.RandomIds;
import io.chatleads.db.Dialect;
import io.chatleads.db.PositionalSql;
import io.chatleads.lead.Lead;
import io.chatleads.webhook.Delivery.Attempt;
import io.chatleads.webhook.Delivery.Status;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Webhooks, their outbox of deliveries, and the attempts made: all webhook SQL lives here. */
public final class WebhookRepository {

    public static final String LEADS_SUBMIT = "leads.submit";
    public static final List<String> EVENT_TYPES = List.of(LEADS_SUBMIT);

    private static final RowMapper<Webhook> WEBHOOK = (rs, ctx) -> new Webhook(
            rs.getString("id"),
            rs.getString("owner_id"),
            rs.getString("chatbot_id"),
            rs.getString("endpoint"),
            Arrays.asList(rs.getString("events").split(",")),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private static final RowMapper<Attempt> ATTEMPT = (rs, ctx) -> new Attempt(
            rs.getInt("attempt"),
            rs.getString("server_id"),
            Instant.ofEpochMilli(rs.getLong("started_at")),
            rs.getLong("duration_ms"),
            integerOrNull(rs, "status_code"),
            rs.getString("error"));

    private static final String WEBHOOK_COLUMNS = "id, owner_id, chatbot_id, endpoint, events, created_at";
    private static final String DELIVERY_COLUMNS = """
            id, webhook_id, event_type, lead_id, status, attempts, next_attempt_at,
            last_status_code, last_error, created_at, completed_at""";

    /** The webhooks a new lead's event goes to: the owner's, for this chatbot or for all of them. */
    // Positional: it runs on plain JDBC, once per widget lead and once per chatbot of an imported
    // batch (see enqueueLeadsSubmitted), and as $n on an event loop (enqueueLeadSubmitted).
    private static final String MATCHING_WEBHOOKS_SQL = """
            SELECT id, events FROM webhooks
            WHERE owner_id = ? AND (chatbot_id IS NULL OR chatbot_id = ?)
            """;

    private static final String INSERT_DELIVERY_SQL = """
            INSERT INTO webhook_deliveries (id, webhook_id, event_type, lead_id, body, status, attempts,
                                            next_attempt_at, created_at)
            VALUES (:id, :webhookId, :eventType, :leadId, :body, 'pending', 0, :now, :now)
            """;

    // The outbox's two statements as vertx-pg-client runs them, for leads stored on an event loop.
    private static final String MATCHING_WEBHOOKS_NUMBERED_SQL = PositionalSql.numbered(MATCHING_WEBHOOKS_SQL);
    private static final PositionalSql INSERT_DELIVERY = PositionalSql.of(INSERT_DELIVERY_SQL);

    /**
     * Leases up to {@code limit} due deliveries to one server. Counting the attempt here makes the
     * attempt number a fencing token: no two claims of one delivery share it. Moving
     * {@code next_attempt_at} to the lease's end means a lease that is never completed (its server
     * died) becomes due again by itself. The PostgreSQL form skips rows another server is claiming
     * at this moment instead of waiting for them; the SQLite form needs no lock clause because
     * SQLite runs one writer at a time.
     */
    private static final String CLAIM_SQL_TEMPLATE = """
            UPDATE webhook_deliveries
            SET lease_owner = :serverId, lease_until = :leaseUntil, next_attempt_at = :leaseUntil,
                attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= :now
                ORDER BY next_attempt_at
                LIMIT :limit
                %s)
            RETURNING id, webhook_id, body, attempts, attempts_allowed
            """;
    static final String CLAIM_SQL_POSTGRESQL = CLAIM_SQL_TEMPLATE.formatted("FOR UPDATE SKIP LOCKED");
    static final String CLAIM_SQL_SQLITE = CLAIM_SQL_TEMPLATE.formatted("");

    /** Applies an attempt's outcome only while this server still holds that attempt's lease. */
    private static final String COMPLETE_SQL = """
            UPDATE webhook_deliveries
            SET status = :status, next_attempt_at = :nextAttemptAt, lease_owner = NULL, lease_until = NULL,
                last_status_code = :statusCode, last_error = :error, completed_at = :completedAt
            WHERE id = :id AND attempts = :attempt AND lease_owner = :serverId
            """;

    /** The attempt happened whatever became of the lease, so it is recorded unless the delivery is gone. */
    private static final String INSERT_ATTEMPT_SQL = """
            INSERT INTO webhook_attempts (delivery_id, attempt, server_id, started_at, duration_ms, status_code, error)
            SELECT :id, :attempt, :serverId, :startedAt, :durationMs, :statusCode, :error
            WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = :id)
            """;

    /**
     * Due now. A finished delivery gets exactly one more attempt; a pending one keeps its schedule.
     * A delivery whose attempt is in flight is left alone: making it due would start a second one.
     */
    private static final String RETRY_SQL = """
            UPDATE webhook_deliveries
            SET attempts_allowed = CASE WHEN status = 'pending' THEN attempts_allowed ELSE attempts + 1 END,
                status = 'pending', next_attempt_at = :now, completed_at = NULL
            WHERE id = :id AND webhook_id = :webhookId
              AND NOT (lease_owner IS NOT NULL AND lease_until > :now)
            """;

    private final Jdbi jdbi;
    private final String claimSql;
    private final Clock clock;
    private final SecretBox secrets;
    private final DeliverySignal newWork = new DeliverySignal();

    public WebhookRepository(Jdbi jdbi, Dialect dialect, Clock clock, SecretBox secrets) {
        this.jdbi = jdbi;
        this.claimSql = dialect == Dialect.POSTGRESQL ? CLAIM_SQL_POSTGRESQL : CLAIM_SQL_SQLITE;
        this.clock = clock;
        this.secrets = secrets;
    }

    // ---- webhooks ----

    /** Stores a webhook; {@code chatbotId} null for all the owner's chatbots. Callers validate first. */
    public CreatedWebhook create(String ownerId, String chatbotId, String endpoint, List<String> events) {
        String secret = WebhookSigner.newSecret();
        Webhook webhook = new Webhook("wh_" + RandomIds.urlSafe(21), ownerId, chatbotId, endpoint, events, clock.instant());
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO webhooks (id, owner_id, chatbot_id, endpoint, events, sealed_secret, created_at)
                        VALUES (:id, :ownerId, :chatbotId, :endpoint, :events, :sealedSecret, :createdAt)
                        """)
                .bind("id", webhook.id())
                .bind("ownerId", ownerId)
                .bind("chatbotId", chatbotId)
                .bind("endpoint", endpoint)
                .bind("events", String.join(",", events))
                .bind("sealedSecret", secrets.seal(webhook.id(), secret))
                .bind("createdAt", webhook.createdAt().toEpochMilli())
                .execute());
        return new CreatedWebhook(webhook, secret);
    }

    public Optional<Webhook> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + WEBHOOK_COLUMNS + " FROM webhooks WHERE id = :id")
                .bind("id", id)
                .map(WEBHOOK)
                .findOne());
    }

    /** The webhook only when {@code ownerId} owns it: another owner's looks exactly like a missing one. */
    public Optional<Webhook> findOwned(String id, String ownerId) {
        return find(id).filter(webhook -> webhook.ownerId().equals(ownerId));
    }

    public List<Webhook> listByOwner(String ownerId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + WEBHOOK_COLUMNS + " FROM webhooks WHERE owner_id = :ownerId ORDER BY created_at, id")
                .bind("ownerId", ownerId)
                .map(WEBHOOK)
                .list());
    }

    /** Deletes the webhook with its deliveries and attempts; false when there was none. */
    public boolean delete(String id) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM webhooks WHERE id = :id")
                .bind("id", id)
                .execute()) > 0;
    }

    // ---- the outbox ----

    /**
     * Writes a {@code leads.submit} delivery for every webhook that wants each lead, inside the
     * leads' own transaction, so the events commit, or roll back, with them: one webhook look-up
     * per chatbot and one batched insert, whether for one widget lead or an imported batch.
     */
    public int enqueueLeadsSubmitted(Handle transaction, List<Lead> leads) {
        Map<String, List<String>> webhooksByChatbot = new HashMap<>();
        PreparedBatch batch = null;
        long now = clock.millis();
        int count = 0;
        for (Lead lead : leads) {
            List<String> webhookIds = webhooksByChatbot.computeIfAbsent(lead.chatbotId(),
                    chatbotId -> matchingWebhooks(transaction, lead.ownerId(), chatbotId));
            if (webhookIds.isEmpty()) {
                continue;
            }
            if (batch == null) {
                batch = transaction.prepareBatch(INSERT_DELIVERY_SQL);
            }
            for (Map<String, Object> delivery : leadSubmittedDeliveries(lead, webhookIds, now)) {
                batch.bindMap(delivery).add();
                count++;
            }
        }
        if (count > 0) {
            batch.execute();
            transaction.afterCommit(newWork::signal);
        }
        return count;
    }

    /**
     * {@link #enqueueLeadsSubmitted} for one lead stored on an event loop: the same look-up, the same
     * rows, on {@code transaction}, which must be the lead's own; the worker is woken after commit.
     */
    public Future<Void> enqueueLeadSubmitted(SqlConnection transaction, Lead lead, Consumer<Runnable> afterCommit) {
        long now = clock.millis();
        return transaction.preparedQuery(MATCHING_WEBHOOKS_NUMBERED_SQL)
                .execute(Tuple.of(lead.ownerId(), lead.chatbotId()))
                .compose(rows -> {
                    List<String> webhookIds = new ArrayList<>();
                    for (Row row : rows) {
                        if (wantsLeadsSubmitted(row.getString("events"))) {
                            webhookIds.add(row.getString("id"));
                        }
                    }
                    if (webhookIds.isEmpty()) {
                        return Future.succeededFuture();
                    }
                    List<Tuple> deliveries = leadSubmittedDeliveries(lead, webhookIds, now).stream()
                            .map(INSERT_DELIVERY::tuple)
                            .toList();
                    return transaction.preparedQuery(INSERT_DELIVERY.numberedText()).executeBatch(deliveries)
                            .map(inserted -> {
                                afterCommit.accept(newWork::signal);
                                return null;
                            });
                });
    }

    /** The values of {@link #INSERT_DELIVERY_SQL} for a lead's {@code leads.submit} event, one row per webhook. */
    private static List<Map<String, Object>> leadSubmittedDeliveries(Lead lead, List<String> webhookIds, long now) {
        String body = WebhookEvents.leadSubmitted(lead);
        List<Map<String, Object>> deliveries = new ArrayList<>(webhookIds.size());
        for (String webhookId : webhookIds) {
            deliveries.add(Map.of("id", newDeliveryId(), "webhookId", webhookId, "eventType", LEADS_SUBMIT,
                    "leadId", lead.id(), "body", body, "now", now));
        }
        return deliveries;
    }

    /** Whether a webhook's stored {@code events} column asks for {@code leads.submit}. */
    private static boolean wantsLeadsSubmitted(String events) {
        return Arrays.asList(events.split(",")).contains(LEADS_SUBMIT);
    }

    /**
     * The ids of the owner's webhooks that want {@code leads.submit} for this chatbot. Plain JDBC
     * on the transaction's connection: it runs in every lead's transaction, and JDBI's per-statement
     * setup cost more than the query.
     */
    private static List<String> matchingWebhooks(Handle transaction, String ownerId, String chatbotId) {
        try (PreparedStatement statement = transaction.getConnection().prepareStatement(MATCHING_WEBHOOKS_SQL)) {
            statement.setString(1, ownerId);
            statement.setString(2, chatbotId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (wantsLeadsSubmitted(rows.getString("events"))) {
                        ids.add(rows.getString("id"));
                    }
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("looking up webhooks for a new lead failed: " + e.getMessage(), e);
        }
    }

    /** Standard Webhooks message ids look like this; it is sent as {@code webhook-id}. */
    static String newDeliveryId() {
        return "msg_" + RandomIds.urlSafe(24);
    }

    // ---- the worker's side ----

    /** Waits until this process commits new due work (see {@link DeliverySignal}) or {@code millis} pass. */
    void awaitNewWork(long millis) throws InterruptedException {
        newWork.await(millis);
    }

    /** Leases up to {@code limit} due deliveries to {@code serverId} until {@code leaseMillis} from now. */
    public List<ClaimedDelivery> claim(String serverId, int limit, long leaseMillis) {
        long now = clock.millis();
        return jdbi.inTransaction(handle -> {
            List<ClaimRow> rows = handle.createQuery(claimSql)
                    .bind("serverId", serverId)
                    .bind("leaseUntil", now + leaseMillis)
                    .bind("now", now)
                    .bind("limit", limit)
                    .map((rs, ctx) -> new ClaimRow(rs.getString("id"), rs.getString("webhook_id"), rs.getString("body"),
                            rs.getInt("attempts"), integerOrNull(rs, "attempts_allowed")))
                    .list();
            if (rows.isEmpty()) {
                return List.of();
            }
            Map<String, Target> targets = new HashMap<>();
            handle.createQuery("""
                            SELECT id, endpoint, sealed_secret, previous_sealed_secret, previous_secret_expires_at
                            FROM webhooks WHERE id IN (<ids>)""")
                    .bindList("ids", rows.stream().map(ClaimRow::webhookId).distinct().toList())
                    .map((rs, ctx) -> {
                        long expiresAt = rs.getLong("previous_secret_expires_at");
                        // A rotated-out secret signs only until its grace period ends.
                        String previous = rs.wasNull() || expiresAt <= now ? null : rs.getString("previous_sealed_secret");
                        return new Target(rs.getString("id"), rs.getString("endpoint"), rs.getString("sealed_secret"), previous);
                    })
                    .forEach(target -> targets.put(target.webhookId(), target));
            List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
            for (ClaimRow row : rows) {
                // The webhook cannot be missing: deleting it deletes its deliveries, and this
                // transaction holds them.
                Target target = targets.get(row.webhookId());
                claimed.add(new ClaimedDelivery(row.id(), row.webhookId(), target.endpoint(), target.sealedSecret(),
                        target.previousSealedSecret(), row.body(), row.attempt(), row.attemptsAllowed()));
            }
            return claimed;
        });
    }

    private record ClaimRow(String id, String webhookId, String body, int attempt, Integer attemptsAllowed) {
    }

    private record Target(String webhookId, String endpoint, String sealedSecret, String previousSealedSecret) {
    }

    /** The signing secret of a claimed delivery, unsealed only for the moment of signing. */
    public String openSecret(ClaimedDelivery delivery) {
        return secrets.open(delivery.webhookId(), delivery.secret());
    }

    /** The rotated-out secret that still signs beside the current one during its grace period, or null. */
    public String openPreviousSecret(ClaimedDelivery delivery) {
        return delivery.previousSecret() == null ? null : secrets.open(delivery.webhookId(), delivery.previousSecret());
    }

    // ---- signing secrets: rotation for receivers, re-encryption for operators ----

    /**
     * Gives the webhook a new signing secret. The one it replaces goes on signing beside it for
     * {@code graceMillis} (0: not at all), so a receiver can switch without rejecting an event; a
     * secret rotated out earlier and still in its grace period stops signing now. Empty when there
     * is no such webhook.
     */
    public Optional<RotatedSecret> rotateSecret(String webhookId, long graceMillis) {
        String secret = WebhookSigner.newSecret();
        long now = clock.millis();
        Long previousUntil = graceMillis > 0 ? now + graceMillis : null;
        // Without a grace period the old secret is dropped rather than kept with a past expiry.
        String keepPrevious = previousUntil == null
                ? "previous_sealed_secret = NULL, previous_secret_expires_at = NULL"
                : "previous_sealed_secret = sealed_secret, previous_secret_expires_at = :previousUntil";
        int updated = jdbi.withHandle(handle -> {
            var update = handle.createUpdate("UPDATE webhooks SET " + keepPrevious + ", sealed_secret = :sealedSecret WHERE id = :id")
                    .bind("sealedSecret", secrets.seal(webhookId, secret))
                    .bind("id", webhookId);
            if (previousUntil != null) {
                update.bind("previousUntil", previousUntil.longValue());
            }
            return update.execute();
        });
        if (updated == 0) {
            return Optional.empty();
        }
        return find(webhookId).map(webhook -> new RotatedSecret(webhook, secret,
                previousUntil == null ? null : Instant.ofEpochMilli(previousUntil)));
    }

    /** Whether signing secrets are sealed under a key ({@code CHATLEADS_WEBHOOK_SECRET_KEY} is set). */
    public boolean encryptsSecrets() {
        return secrets.encrypts();
    }

    /** The id of the key new secrets are sealed under (8 hex digits), or null without one. */
    public String currentSecretKeyId() {
        return secrets.currentKeyId();
    }

    /** What {@link #rekey} did: secrets sealed anew, those already under the current key, and those it could not open. */
    public record RekeyResult(int rekeyed, int alreadyCurrent, List<String> failed) {
    }

    /**
     * Seals every stored signing secret (current and, during a grace period, previous) under the
     * current key, bound to its webhook; {@code progress} hears one line per batch. Resumable: each
     * secret is rewritten on its own, only when it is not current yet and only if it has not
     * changed since it was read (a rotation meanwhile wins), so an interrupted run is finished by
     * running it again. Webhooks whose secret no configured key opens are listed, not changed.
     */
    public RekeyResult rekey(int batchSize, Consumer<String> progress) {
        if (!secrets.encrypts()) {
            throw new IllegalStateException(SecretBox.SETTING + " is not set: there is no key to encrypt under");
        }
        int rekeyed = 0;
        int alreadyCurrent = 0;
        List<String> failed = new ArrayList<>();
        String after = "";
        long now = clock.millis();
        // Rotated-out secrets past their grace period never sign again: dropped, not sealed anew.
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhooks SET previous_sealed_secret = NULL, previous_secret_expires_at = NULL
                        WHERE previous_secret_expires_at <= :now""")
                .bind("now", now)
                .execute());
        while (true) {
            String from = after;
            List<String[]> batch = jdbi.withHandle(handle -> handle.createQuery("""
                            SELECT id, sealed_secret, previous_sealed_secret, previous_secret_expires_at FROM webhooks
                            WHERE id > :after ORDER BY id LIMIT :limit""")
                    .bind("after", from)
                    .bind("limit", batchSize)
                    .map((rs, ctx) -> {
                        long expiresAt = rs.getLong("previous_secret_expires_at");
                        boolean previousLive = !rs.wasNull() && expiresAt > now;
                        return new String[] {rs.getString("id"), rs.getString("sealed_secret"),
                                previousLive ? rs.getString("previous_sealed_secret") : null};
                    })
                    .list());
            if (batch.isEmpty()) {
                break;
            }
            for (String[] row : batch) {
                String id = row[0];
                try {
                    for (String column : new String[] {"sealed_secret", "previous_sealed_secret"}) {
                        String stored = column.equals("sealed_secret") ? row[1] : row[2];
                        if (stored == null) {
                            continue;
                        }
                        if (secrets.isCurrent(stored)) {
                            alreadyCurrent++;
                            continue;
                        }
                        String resealed = secrets.seal(id, secrets.open(id, stored));
                        int updated = jdbi.withHandle(handle -> handle.createUpdate(
                                        "UPDATE webhooks SET " + column + " = :resealed WHERE id = :id AND " + column + " = :stored")
                                .bind("resealed", resealed)
                                .bind("id", id)
                                .bind("stored", stored)
                                .execute());
                        // 0: rotated or deleted since it was read; whatever is there now was sealed by a server with its key.
                        rekeyed += updated;
                    }
                } catch (IllegalStateException e) {
                    failed.add(id + ": " + e.getMessage());
                }
            }
            after = batch.get(batch.size() - 1)[0];
            progress.accept("rekeyed " + rekeyed + ", already current " + alreadyCurrent + ", failed " + failed.size()
                    + " (up to webhook " + after + ")");
        }
        return new RekeyResult(rekeyed, alreadyCurrent, List.copyOf(failed));
    }

    /**
     * Records an attempt and, when this server still holds its lease, the delivery's new state:
     * {@code nextAttemptAt} null ends it as {@code status}, else it is pending until then.
     * Returns false when the lease had been lost (expired and taken over, or the webhook deleted).
     */
    public boolean complete(ClaimedDelivery delivery, String serverId, AttemptOutcome outcome, Status status,
                            Long nextAttemptAt) {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate(INSERT_ATTEMPT_SQL)
                    .bind("id", delivery.id())
                    .bind("attempt", delivery.attempt())
                    .bind("serverId", serverId)
                    .bind("startedAt", outcome.startedAtMillis())
                    .bind("durationMs", outcome.durationMillis())
                    .bind("statusCode", outcome.statusCode())
                    .bind("error", outcome.error())
                    .execute();
            return handle.createUpdate(COMPLETE_SQL)
                    .bind("status", status.column())
                    .bind("nextAttemptAt", nextAttemptAt)
                    .bind("statusCode", outcome.statusCode())
                    .bind("error", outcome.error())
                    .bind("completedAt", status == Status.PENDING ? null : clock.millis())
                    .bind("id", delivery.id())
                    .bind("attempt", delivery.attempt())
                    .bind("serverId", serverId)
                    .execute() == 1;
        });
    }

    /** Deliveries waiting to be sent (the outbox depth), leased ones included. */
    public long pendingCount() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")
                .mapTo(Long.class)
                .one());
    }

    // ---- what the owner sees ----

    /** The webhook's most recent deliveries, newest first, each with all its attempts. */
    public List<Delivery> recentDeliveries(String webhookId, int limit) {
        return jdbi.withHandle(handle -> {
            List<Delivery> deliveries = handle.createQuery("SELECT " + DELIVERY_COLUMNS + """
                             FROM webhook_deliveries WHERE webhook_id = :webhookId
                            ORDER BY created_at DESC, id
                            LIMIT :limit
                            """)
                    .bind("webhookId", webhookId)
                    .bind("limit", limit)
                    .map((rs, ctx) -> delivery(rs, List.of()))
                    .list();
            return withAttempts(handle, deliveries);
        });
    }

    public Optional<Delivery> findDelivery(String webhookId, String deliveryId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + DELIVERY_COLUMNS + """
                         FROM webhook_deliveries WHERE id = :id AND webhook_id = :webhookId
                        """)
                .bind("id", deliveryId)
                .bind("webhookId", webhookId)
                .map((rs, ctx) -> delivery(rs, List.of()))
                .findOne()
                .map(found -> withAttempts(handle, List.of(found)).get(0)));
    }

    /** Outcome of a manual retry request. */
    public enum RetryResult { SCHEDULED, IN_FLIGHT, NOT_FOUND }

    /** Makes the delivery due now (see {@link #RETRY_SQL}). */
    public RetryResult retry(String webhookId, String deliveryId) {
        return jdbi.inTransaction(handle -> {
            int updated = handle.createUpdate(RETRY_SQL)
                    .bind("id", deliveryId)
                    .bind("webhookId", webhookId)
                    .bind("now", clock.millis())
                    .execute();
            if (updated == 1) {
                handle.afterCommit(newWork::signal);
                return RetryResult.SCHEDULED;
            }
            boolean exists = handle.createQuery(
                            "SELECT count(*) FROM webhook_deliveries WHERE id = :id AND webhook_id = :webhookId")
                    .bind("id", deliveryId)
                    .bind("webhookId", webhookId)
                    .mapTo(Integer.class)
                    .one() > 0;
            return exists ? RetryResult.IN_FLIGHT : RetryResult.NOT_FOUND;
        });
    }

    private static List<Delivery> withAttempts(Handle handle, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return deliveries;
        }
        Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
        handle.createQuery("""
                        SELECT delivery_id, attempt, server_id, started_at, duration_ms, status_code, error
                        FROM webhook_attempts WHERE delivery_id IN (<ids>)
                        ORDER BY delivery_id, attempt
                        """)
                .bindList("ids", deliveries.stream().map(Delivery::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getString("delivery_id"), ATTEMPT.map(rs, ctx)))
                .forEach(entry -> attempts.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue()));
        return deliveries.stream()
                .map(d -> new Delivery(d.id(), d.webhookId(), d.eventType(), d.leadId(), d.status(), d.attempts(),
                        d.nextAttemptAt(), d.lastStatusCode(), d.lastError(), d.createdAt(), d.completedAt(),
                        attempts.getOrDefault(d.id(), List.of())))
                .toList();
    }

    private static Delivery delivery(ResultSet rs, List<Attempt> attempts) throws SQLException {
        long leadId = rs.getLong("lead_id");
        Long lead = rs.wasNull() ? null : leadId;
        return new Delivery(
                rs.getString("id"),
                rs.getString("webhook_id"),
                rs.getString("event_type"),
                lead,
                Status.ofColumn(rs.getString("status")),
                rs.getInt("attempts"),
                instantOrNull(rs, "next_attempt_at"),
                integerOrNull(rs, "last_status_code"),
                rs.getString("last_error"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instantOrNull(rs, "completed_at"),
                attempts);
    }

    private static Integer integerOrNull(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
