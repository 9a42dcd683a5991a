package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class PostgresJsonLogsTest extends AbstractJsonLogsTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
