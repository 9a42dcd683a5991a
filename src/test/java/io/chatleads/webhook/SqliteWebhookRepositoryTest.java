package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class SqliteWebhookRepositoryTest extends AbstractWebhookRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
