package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class PostgresHostileHttpTest extends AbstractHostileHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
