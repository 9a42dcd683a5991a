package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class SqliteHostileHttpTest extends AbstractHostileHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
