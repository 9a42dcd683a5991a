package io.chatleads.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link StaleReads} on one event loop: a statement that may read a little stale data (the
 * get-leads page) goes to this loop's read connection of a replica that is up, else to the loop's
 * primary connections. A replica that fails it because it cannot be reached (or cancels it for a
 * recovery conflict) is marked down and the statement is asked once more on the primary. One
 * instance per event loop, made and called only there.
 */
public final class LoopStaleReads {

    private final LoopConnections primary;
    private final ReadReplicas replicas;
    // Index as in replicas; empty without replicas.
    private final List<LoopConnections> replicaConnections;

    private LoopStaleReads(LoopConnections primary, ReadReplicas replicas, List<LoopConnections> replicaConnections) {
        this.primary = primary;
        this.replicas = replicas;
        this.replicaConnections = replicaConnections;
    }

    /**
     * On the calling event loop, which then owns the replicas' connections; those open on their
     * first read, so a replica that is down at start stops nothing.
     */
    public static LoopStaleReads open(Vertx vertx, LoopConnections primary, ReadReplicas replicas) {
        List<LoopConnections> connections = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            connections.add(LoopConnections.forReads(vertx, replicas.loopOptions(i)));
        }
        return new LoopStaleReads(primary, replicas, List.copyOf(connections));
    }

    /** Every read on the loop's primary connections. */
    public static LoopStaleReads primaryOnly(LoopConnections primary) {
        return new LoopStaleReads(primary, null, List.of());
    }

    /** One statement, as {@link LoopConnections#read}, on a replica or the primary. */
    public <T> Future<T> read(Function<SqlConnection, Future<T>> statement) {
        if (replicaConnections.isEmpty()) {
            return primary.read(statement);
        }
        int index = replicas.choose();
        if (index < 0) {
            return primary.read(statement);
        }
        return replicaConnections.get(index).read(statement).recover(e -> {
            if (!ReadReplicas.worthAskingPrimary(e)) {
                return Future.failedFuture(e);
            }
            replicas.failed(index, e);
            return primary.read(statement);
        });
    }

    /** Closes the replicas' connections of this loop (the primary's are their owner's to close). */
    public Future<Void> close() {
        return Future.join(replicaConnections.stream().map(LoopConnections::close).toList()).otherwiseEmpty().mapEmpty();
    }
}
