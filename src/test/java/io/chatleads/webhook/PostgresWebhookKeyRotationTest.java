package io.chatleads.webhook;

import io.chatleads.support.TestDatabase;

class PostgresWebhookKeyRotationTest extends AbstractWebhookKeyRotationTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
