package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresLeadStatsTest extends AbstractLeadStatsTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
