package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteResponseEnvelopeApiTest extends AbstractResponseEnvelopeApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
