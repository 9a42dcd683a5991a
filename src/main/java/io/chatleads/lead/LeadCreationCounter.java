package io.chatleads.lead;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.function.Consumer;

/**
 * {@code chatleads_lead_creations_total}: a lead is counted once its transaction commits, whichever
 * path stored it, so a lead rolled back with its transaction (an outbox write failing, say) is not
 * counted and the counter agrees with the table.
 */
public final class LeadCreationCounter implements LeadCreatedListener, EventLoopLeadListener {

    private final Counter created;

    public LeadCreationCounter(MeterRegistry registry) {
        // Not "leads.created": Prometheus reserves the _created suffix, and its client drops it.
        this.created = Counter.builder("chatleads.lead.creations")
                .description("Leads stored, counted when their transaction commits")
                .register(registry);
    }

    @Override
    public void leadsCreated(Handle transaction, List<Lead> leads) {
        transaction.afterCommit(() -> created.increment(leads.size()));
    }

    @Override
    public Future<Void> leadCreated(SqlConnection transaction, Lead lead, Consumer<Runnable> afterCommit) {
        afterCommit.accept(created::increment);
        return Future.succeededFuture();
    }
}
