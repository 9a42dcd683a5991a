package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class SqliteDevSeedTest extends AbstractDevSeedTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
