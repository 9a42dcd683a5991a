package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class SqliteWebhookHttpTest extends AbstractWebhookHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
