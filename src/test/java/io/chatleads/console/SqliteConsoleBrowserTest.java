package io.chatleads.console;

import io.chatleads.support.TestDatabase;

class SqliteConsoleBrowserTest extends AbstractConsoleBrowserTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
