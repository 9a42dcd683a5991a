package io.chatleads.lead;

import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * Called inside the transaction that stores new leads, so that whatever it writes (an outbox row,
 * say) commits or rolls back with the leads themselves: one lead from a widget, a whole batch from
 * an import with events.
 */
@FunctionalInterface
public interface LeadCreatedListener {
    void leadsCreated(Handle transaction, List<Lead> leads);
}
