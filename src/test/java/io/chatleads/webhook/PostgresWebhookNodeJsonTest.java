package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class PostgresWebhookNodeJsonTest extends WebhookNodeJsonContract {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
