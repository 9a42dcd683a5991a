package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class SqliteWidgetCliTest extends AbstractWidgetCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
