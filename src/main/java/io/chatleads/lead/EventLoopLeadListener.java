package io.chatleads.lead;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.function.Consumer;

/**
 * {@link LeadCreatedListener} for a lead that {@link EventLoopLeads} stores: called inside the
 * lead's transaction, on the event loop that owns {@code transaction}, so that whatever it writes
 * commits or rolls back with the lead. What must wait for the commit (a signal, a counter) goes to
 * {@code afterCommit}, as JDBI's {@code Handle.afterCommit} does on the blocking path.
 */
@FunctionalInterface
public interface EventLoopLeadListener {
    Future<Void> leadCreated(SqlConnection transaction, Lead lead, Consumer<Runnable> afterCommit);
}
