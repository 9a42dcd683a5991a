package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteLeadCursorApiTest extends AbstractLeadCursorApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
