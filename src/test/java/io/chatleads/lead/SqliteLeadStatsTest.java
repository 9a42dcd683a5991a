package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteLeadStatsTest extends AbstractLeadStatsTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
