package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteLeadCaptureHttpTest extends AbstractLeadCaptureHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
