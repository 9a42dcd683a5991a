package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class PostgresWebhookRepositoryTest extends WebhookRepositoryContract {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
