package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class SqliteOnePooledConnectionTest extends AbstractOnePooledConnectionTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
