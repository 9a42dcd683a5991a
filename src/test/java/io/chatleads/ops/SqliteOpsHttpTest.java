package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class SqliteOpsHttpTest extends AbstractOpsHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
