package io.chatleads.lead;

import org.jdbi.v3.core.Handle;

/**
 * Called inside the transaction that stores a new lead, so that whatever it writes (an outbox row,
 * say) commits or rolls back with the lead itself.
 */
@FunctionalInterface
public interface LeadCreatedListener {
    void leadCreated(Handle transaction, Lead lead);
}
