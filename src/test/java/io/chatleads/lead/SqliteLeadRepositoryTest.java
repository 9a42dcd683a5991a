package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteLeadRepositoryTest extends AbstractLeadRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
