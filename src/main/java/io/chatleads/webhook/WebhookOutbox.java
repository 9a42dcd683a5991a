package io.chatleads.webhook;

import io.chatleads.lead.EventLoopLeadListener;
import io.chatleads.lead.Lead;
import io.chatleads.lead.LeadCreatedListener;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.function.Consumer;

/**
 * The outbox hook: {@link io.chatleads.lead.LeadRepository} calls it inside the transaction that
 * stores each new lead, whatever created it, so an acknowledged lead always has its events stored,
 * and so does {@link io.chatleads.lead.EventLoopLeads} for the leads it stores on an event loop.
 * It only writes rows; sending is the {@link WebhookWorker}'s job, so lead creation never waits on
 * a receiver.
 */
public final class WebhookOutbox implements LeadCreatedListener, EventLoopLeadListener {

    private final WebhookRepository webhooks;

    public WebhookOutbox(WebhookRepository webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void leadsCreated(Handle transaction, List<Lead> leads) {
        webhooks.enqueueLeadsSubmitted(transaction, leads);
    }

    @Override
    public Future<Void> leadCreated(SqlConnection transaction, Lead lead, Consumer<Runnable> afterCommit) {
        return webhooks.enqueueLeadSubmitted(transaction, lead, afterCommit);
    }
}
