package io.chatleads.lead;

import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyRepository;
import io.chatleads.chatbot.CaptureTarget;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.db.LoopConnections;
import io.chatleads.db.LoopStaleReads;
import io.chatleads.db.PositionalSql;
import io.chatleads.lead.LeadRepository.PageStatement;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The get-leads page and lead capture on PostgreSQL without a blocking thread: the same SQL as
 * {@link LeadRepository}, chosen the same way, on one event loop's own {@link LoopConnections}, and
 * what their guards read on a cache miss (the key, the chatbot's owner or capture settings).
 * One instance per event loop, called only there; everything else stays on the JDBC repositories.
 */
public final class EventLoopLeads {

    private static final String INSERT_NUMBERED_SQL = PositionalSql.numbered(LeadRepository.INSERT_SQL);

    private final LoopConnections connections;
    // The pages: a replica's connection of this loop when one is up, else the primary's.
    private final LoopStaleReads pages;
    private final List<EventLoopLeadListener> listeners;

    /**
     * Every statement on {@code connections} (the primary). {@code listeners} run in each lead's
     * transaction, as {@link LeadRepository}'s do (the webhook outbox, the lead counter).
     */
    public EventLoopLeads(LoopConnections connections, List<EventLoopLeadListener> listeners) {
        this(connections, LoopStaleReads.primaryOnly(connections), listeners);
    }

    /** Pages through {@code pages}, which may read a replica; captures on {@code connections}, the primary. */
    public EventLoopLeads(LoopConnections connections, LoopStaleReads pages, List<EventLoopLeadListener> listeners) {
        this.connections = connections;
        this.pages = pages;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Up to {@code size + 1} leads of the page, exactly as {@link LeadRepository#pageWithLookahead}
     * returns them: the same query, chosen the same way.
     */
    public Future<List<Lead>> pageWithLookahead(LeadPageQuery query) {
        PageStatement page = LeadRepository.pageWithLookaheadStatement(query);
        String sql = page.sql().numberedText();
        var values = page.sql().tuple(page.values());
        return pages.read(connection -> connection.preparedQuery(sql).execute(values)).map(EventLoopLeads::leads);
    }

    /**
     * The key whose secret has this hash, revoked or not, or null when there is none, read on this
     * loop's connection: what a bearer key's check reads on a miss of the key cache
     * ({@link io.chatleads.apikey.BearerAuth#authenticate(io.vertx.ext.web.RoutingContext, java.util.function.Function)}).
     */
    public CompletionStage<ApiKey> apiKey(String secretHash) {
        return ApiKeyRepository.readByHash(connections, secretHash);
    }

    /**
     * The chatbot's owner id, or null when there is none, read on this loop's connection: what the
     * get-leads guard reads on a miss of {@link ChatbotRepository#owner}, with no thread hand-off.
     */
    public CompletionStage<String> chatbotOwner(String chatbotId) {
        return ChatbotRepository.readOwner(connections, chatbotId);
    }

    /**
     * The chatbot with its capture settings, or null when there is none, read on this loop's
     * connection: what a submission reads on a miss of {@link ChatbotSettingsRepository#captureTarget}.
     */
    public CompletionStage<CaptureTarget> captureTarget(String chatbotId) {
        return ChatbotSettingsRepository.readCaptureTarget(connections, chatbotId);
    }

    private static List<Lead> leads(RowSet<Row> rows) {
        List<Lead> leads = new ArrayList<>(rows.size());
        for (Row row : rows) {
            leads.add(LeadRow.read(row));
        }
        return leads;
    }

    /**
     * Stores the lead as {@link LeadRepository#create} does: in one transaction with what every
     * listener writes (the webhook outbox), whose after-commit work (waking the webhook worker,
     * counting the lead) runs only once it has committed. A chatbot deleted meanwhile fails it with
     * a foreign-key violation that {@link io.chatleads.db.SqlErrors#isForeignKeyViolation} recognises.
     */
    public Future<Lead> create(NewLead lead) {
        List<Runnable> afterCommit = new ArrayList<>(listeners.size());
        return connections.inTransaction(transaction -> transaction.preparedQuery(INSERT_NUMBERED_SQL)
                        .execute(LeadRow.tuple(lead))
                        .map(inserted -> LeadRow.stored(inserted.iterator().next().getLong(0), lead))
                        .compose(created -> notifyListeners(transaction, created, afterCommit).map(created)))
                .onSuccess(committed -> afterCommit.forEach(Runnable::run));
    }

    private Future<Void> notifyListeners(SqlConnection transaction, Lead created, List<Runnable> afterCommit) {
        Future<Void> notified = Future.succeededFuture();
        for (EventLoopLeadListener listener : listeners) {
            notified = notified.compose(previous -> listener.leadCreated(transaction, created, afterCommit::add));
        }
        return notified;
    }
}
