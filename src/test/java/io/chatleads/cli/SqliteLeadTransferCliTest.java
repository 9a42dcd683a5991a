package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class SqliteLeadTransferCliTest extends AbstractLeadTransferCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
