package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class PostgresOnePooledConnectionTest extends AbstractOnePooledConnectionTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
