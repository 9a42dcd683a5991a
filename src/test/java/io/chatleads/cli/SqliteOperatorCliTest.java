package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class SqliteOperatorCliTest extends AbstractOperatorCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
