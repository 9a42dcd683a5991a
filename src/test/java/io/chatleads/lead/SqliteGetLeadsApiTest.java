package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteGetLeadsApiTest extends AbstractGetLeadsApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
