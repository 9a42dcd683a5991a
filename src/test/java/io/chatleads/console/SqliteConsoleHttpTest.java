package io.chatleads.console;

import io.chatleads.support.TestDatabase;

class SqliteConsoleHttpTest extends AbstractConsoleHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
