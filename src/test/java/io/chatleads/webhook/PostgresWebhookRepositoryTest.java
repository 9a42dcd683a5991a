package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class PostgresWebhookRepositoryTest extends AbstractWebhookRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
