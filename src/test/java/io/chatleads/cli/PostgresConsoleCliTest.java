package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class PostgresConsoleCliTest extends AbstractConsoleCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
