package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresGetLeadsApiTest extends AbstractGetLeadsApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
