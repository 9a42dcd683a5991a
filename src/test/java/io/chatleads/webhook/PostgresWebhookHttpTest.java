package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class PostgresWebhookHttpTest extends AbstractWebhookHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
