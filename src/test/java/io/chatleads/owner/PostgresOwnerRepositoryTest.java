package io.chatleads.owner;

import io.chatleads.support.TestDatabase;

class PostgresOwnerRepositoryTest extends AbstractOwnerRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
