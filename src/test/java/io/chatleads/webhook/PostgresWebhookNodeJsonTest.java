package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class PostgresWebhookNodeJsonTest extends AbstractWebhookNodeJsonTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
