package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresResponseEnvelopeApiTest extends AbstractResponseEnvelopeApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
