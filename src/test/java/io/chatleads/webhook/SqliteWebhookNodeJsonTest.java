package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class SqliteWebhookNodeJsonTest extends AbstractWebhookNodeJsonTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
