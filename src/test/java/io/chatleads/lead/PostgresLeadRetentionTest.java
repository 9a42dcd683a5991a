package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresLeadRetentionTest extends AbstractLeadRetentionTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
