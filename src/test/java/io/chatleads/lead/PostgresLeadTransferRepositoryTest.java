package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresLeadTransferRepositoryTest extends AbstractLeadTransferRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
