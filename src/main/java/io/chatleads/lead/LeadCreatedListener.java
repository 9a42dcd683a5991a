package io.chatleads.lead;

import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * Called inside the transaction that stores a new lead, so that whatever it writes (an outbox row,
 * say) commits or rolls back with the lead itself.
 */
@FunctionalInterface
public interface LeadCreatedListener {
    void leadCreated(Handle transaction, Lead lead);

    /** Many leads stored together, by bulk paths such as an import with events. */
    default void leadsCreated(Handle transaction, List<Lead> leads) {
        for (Lead lead : leads) {
            leadCreated(transaction, lead);
        }
    }
}
