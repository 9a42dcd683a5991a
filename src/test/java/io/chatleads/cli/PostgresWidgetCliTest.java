package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class PostgresWidgetCliTest extends AbstractWidgetCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
