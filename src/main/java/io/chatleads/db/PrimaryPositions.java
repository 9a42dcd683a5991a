package io.chatleads.db;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The primary's WAL positions as the replica checks read them, each with when it was asked: from
 * these and what a replica has replayed, how stale the replica's reads can be, in time.
 *
 * <p>A replica whose replayed position is at or past the primary's position read at the start of
 * this check has everything the primary had then: its lag is 0, however long ago its last replayed
 * transaction was (an idle deployment, or replay paused with nothing to replay, is not lagging).
 * Behind it, two upper bounds are known and the smaller one is the lag:
 * <ul>
 *   <li>the age of the newest earlier position the replica has reached: it holds everything the
 *       primary had when that position was read (a resolution of one check interval);</li>
 *   <li>the age of the replica's last replayed transaction ({@code pg_last_xact_replay_timestamp()}),
 *       measured on the primary's own clock ({@code now()} read with the position), so a clock
 *       difference between the two machines does not count: every transaction it lacks committed
 *       after that one.</li>
 * </ul>
 * With neither (a replica behind every position this server has seen, and no transaction replayed
 * since it started), the lag is unknown. Positions older than {@code keepMillis} are dropped.
 * Used by one checking thread at a time.
 */
final class PrimaryPositions {

    /** Unknown lag. */
    static final long UNKNOWN = -1;

    /**
     * @param askedAtMillis    this server's monotonic clock just before the question was sent
     * @param lsn              {@code pg_current_wal_lsn()}
     * @param primaryNowMillis the primary's {@code now()} in epoch milliseconds
     */
    record Position(long askedAtMillis, long lsn, long primaryNowMillis) {
    }

    private final ArrayDeque<Position> positions = new ArrayDeque<>();
    private final long keepMillis;

    PrimaryPositions(long keepMillis) {
        this.keepMillis = keepMillis;
    }

    void add(Position position) {
        positions.addLast(position);
        while (positions.size() > 1 && positions.peekFirst().askedAtMillis() < position.askedAtMillis() - keepMillis) {
            positions.removeFirst();
        }
    }

    /**
     * The lag of a replica that has replayed up to {@code replayLsn}, at {@code nowMillis} (the same
     * clock as {@link Position#askedAtMillis}); {@code current} is this check's own position, null
     * when the primary did not answer it. {@link #UNKNOWN} when no bound is known.
     */
    long lagMillis(Position current, long replayLsn, Long replayTimestampMillis, long nowMillis) {
        if (current != null && replayLsn >= current.lsn()) {
            return 0;
        }
        long lag = Long.MAX_VALUE;
        for (Iterator<Position> newestFirst = positions.descendingIterator(); newestFirst.hasNext(); ) {
            Position position = newestFirst.next();
            if (position.lsn() <= replayLsn) {
                lag = Math.max(0, nowMillis - position.askedAtMillis());
                break;
            }
        }
        Position newest = positions.peekLast();
        if (replayTimestampMillis != null && newest != null) {
            long primaryNow = newest.primaryNowMillis() + (nowMillis - newest.askedAtMillis());
            lag = Math.min(lag, Math.max(0, primaryNow - replayTimestampMillis));
        }
        return lag == Long.MAX_VALUE ? UNKNOWN : lag;
    }

    /** A {@code pg_lsn} as text ({@code 16/B374D848}) as one number, or -1 for null. */
    static long parseLsn(String text) {
        if (text == null) {
            return -1;
        }
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }
}
