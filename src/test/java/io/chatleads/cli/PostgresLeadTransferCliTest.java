package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class PostgresLeadTransferCliTest extends AbstractLeadTransferCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
