package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresLeadCaptureHttpTest extends AbstractLeadCaptureHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
