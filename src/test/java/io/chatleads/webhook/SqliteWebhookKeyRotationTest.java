package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class SqliteWebhookKeyRotationTest extends AbstractWebhookKeyRotationTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
