package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class SqliteJsonLogsTest extends AbstractJsonLogsTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
