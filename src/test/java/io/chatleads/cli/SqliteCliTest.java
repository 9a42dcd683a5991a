package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class SqliteCliTest extends AbstractCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
