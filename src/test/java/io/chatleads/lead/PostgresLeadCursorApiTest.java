package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresLeadCursorApiTest extends AbstractLeadCursorApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
