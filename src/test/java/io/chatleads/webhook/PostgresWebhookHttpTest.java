package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class PostgresWebhookHttpTest extends WebhookHttpContract {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
