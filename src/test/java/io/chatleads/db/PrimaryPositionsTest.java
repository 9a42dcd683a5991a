package io.chatleads.db;

import io.chatleads.db.PrimaryPositions.Position;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lag rule of docs/operations.md "Read replicas", on positions made up here (the real replica: PostgresReadReplicasTest). */
class PrimaryPositionsTest {

    @Test
    void aReplicaAtThePositionTheCheckBeganWithHasNoLagHoweverOldItsLastTransaction() {
        PrimaryPositions positions = new PrimaryPositions(60_000);
        Position current = new Position(10_000, 500, 1_000_000);
        positions.add(current);
        assertEquals(0, positions.lagMillis(current, 500, 1_000_000 - 3_600_000L, 10_005));
        assertEquals(0, positions.lagMillis(current, 501, null, 10_005));
    }

    @Test
    void behindTheLagIsTheSmallerOfTheAgeOfTheNewestPositionReachedAndOfTheLastReplayedTransaction() {
        PrimaryPositions positions = new PrimaryPositions(60_000);
        positions.add(new Position(1_000, 100, 5_000_000));
        positions.add(new Position(2_000, 200, 5_001_000));
        Position current = new Position(3_000, 300, 5_002_000);
        positions.add(current);
        // reached 200 (asked at 2,000): at most 1,010 ms behind at 3,010; its last transaction is older
        assertEquals(1_010, positions.lagMillis(current, 250, 5_000_000L, 3_010));
        // its last transaction committed 200 ms before the primary's now (on the primary's clock)
        assertEquals(210, positions.lagMillis(current, 250, 5_001_800L, 3_010));
        // no new position from the primary: judged on the earlier ones, the lag grows
        assertEquals(2_010, positions.lagMillis(null, 250, null, 4_010));
    }

    @Test
    void behindEveryPositionSeenAndNoTransactionReplayedTheLagIsUnknown() {
        PrimaryPositions positions = new PrimaryPositions(1_000);
        positions.add(new Position(1_000, 100, 0));
        positions.add(new Position(5_000, 200, 0));
        // the first position is older than kept, so was dropped: 150 reaches none
        assertEquals(PrimaryPositions.UNKNOWN, positions.lagMillis(null, 150, null, 5_010));
        assertEquals(PrimaryPositions.UNKNOWN, new PrimaryPositions(1_000).lagMillis(null, 150, null, 5_010));
    }

    @Test
    void readsPgLsnText() {
        assertEquals(0x16_B374D848L, PrimaryPositions.parseLsn("16/B374D848"));
        assertEquals(-1, PrimaryPositions.parseLsn(null));
    }
}
