package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class SqliteConsoleCliTest extends AbstractConsoleCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
