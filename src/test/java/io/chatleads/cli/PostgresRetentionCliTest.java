package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class PostgresRetentionCliTest extends AbstractRetentionCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
