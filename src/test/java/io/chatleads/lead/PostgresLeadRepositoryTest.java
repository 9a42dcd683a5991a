package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresLeadRepositoryTest extends AbstractLeadRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
