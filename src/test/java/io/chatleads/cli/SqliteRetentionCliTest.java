package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class SqliteRetentionCliTest extends AbstractRetentionCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
