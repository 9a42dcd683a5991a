package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteLeadRetentionTest extends AbstractLeadRetentionTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
