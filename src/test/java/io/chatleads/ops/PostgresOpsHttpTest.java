package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class PostgresOpsHttpTest extends AbstractOpsHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
