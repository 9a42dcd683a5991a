package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class PostgresCliTest extends AbstractCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
