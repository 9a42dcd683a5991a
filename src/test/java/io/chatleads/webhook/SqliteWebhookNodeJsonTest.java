package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class SqliteWebhookNodeJsonTest extends WebhookNodeJsonContract {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
