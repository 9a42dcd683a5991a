package io.chatleads.db;

import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.util.function.Function;

/**
 * Where a JDBC read that may be a little stale runs: on a read replica that is up, else on the
 * primary. The few reads that may be (get-leads pages, exports, lead-stats, the console's lists,
 * charts and search) say so by going through this; every other statement, and every read that must
 * see a write just made, uses the primary's {@link Database#jdbi()} as before. A read a replica fails
 * because it cannot be reached (or cancels for a recovery conflict) is asked once more on the
 * primary, so a replica that stops fails no request; the replica is then down until the next check.
 */
public final class StaleReads {

    private final Jdbi primaryJdbi;
    private final DataSource primaryDataSource;
    private final ReadReplicas replicas;

    public StaleReads(Database primary, ReadReplicas replicas) {
        this(primary.jdbi(), primary.dataSource(), replicas);
    }

    private StaleReads(Jdbi primaryJdbi, DataSource primaryDataSource, ReadReplicas replicas) {
        this.primaryJdbi = primaryJdbi;
        this.primaryDataSource = primaryDataSource;
        this.replicas = replicas;
    }

    /** Every read on this primary: no replicas. */
    public static StaleReads primaryOnly(Jdbi jdbi, DataSource dataSource) {
        return new StaleReads(jdbi, dataSource, null);
    }

    /** {@code work} with the JDBI of a replica, or of the primary. */
    public <T> T withJdbi(Function<Jdbi, T> work) {
        return read(work, primaryJdbi, ReadReplicas::jdbi);
    }

    /** {@code work} with the pool of a replica, or of the primary: for plain JDBC (the get-leads page). */
    public <T> T withDataSource(Function<DataSource, T> work) {
        return read(work, primaryDataSource, ReadReplicas::dataSource);
    }

    private interface Source<S> {
        S of(ReadReplicas replicas, int index);
    }

    private <S, T> T read(Function<S, T> work, S primary, Source<S> replica) {
        if (replicas == null || replicas.isEmpty()) {
            return work.apply(primary);
        }
        int index = replicas.choose();
        if (index < 0) {
            return work.apply(primary);
        }
        try {
            return work.apply(replica.of(replicas, index));
        } catch (RuntimeException e) {
            if (!ReadReplicas.worthAskingPrimary(e)) {
                throw e;
            }
            replicas.failed(index, e);
            return work.apply(primary);
        }
    }
}
