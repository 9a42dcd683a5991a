package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class PostgresOperatorCliTest extends AbstractOperatorCliTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
