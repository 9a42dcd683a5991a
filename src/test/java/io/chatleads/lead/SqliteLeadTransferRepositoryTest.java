package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteLeadTransferRepositoryTest extends AbstractLeadTransferRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
