package io.chatleads.owner;

import io.chatleads.support.TestDatabase;

class SqliteOwnerRepositoryTest extends AbstractOwnerRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
