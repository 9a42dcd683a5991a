package io.chatleads.console;

import io.chatleads.support.TestDatabase;

class PostgresConsoleHttpTest extends AbstractConsoleHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
