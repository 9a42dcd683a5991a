package io.chatleads.webhook;

import io.chatleads.lead.Lead;
import io.chatleads.lead.LeadCreatedListener;
import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * The outbox hook: {@link io.chatleads.lead.LeadRepository} calls it inside the transaction that
 * stores each new lead, whatever created it, so an acknowledged lead always has its events stored.
 * It only writes rows; sending is the {@link WebhookWorker}'s job, so lead creation never waits on
 * a receiver.
 */
public final class WebhookOutbox implements LeadCreatedListener {

    private final WebhookRepository webhooks;

    public WebhookOutbox(WebhookRepository webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void leadsCreated(Handle transaction, List<Lead> leads) {
        webhooks.enqueueLeadsSubmitted(transaction, leads);
    }
}
