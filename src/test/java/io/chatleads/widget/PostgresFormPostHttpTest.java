package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class PostgresFormPostHttpTest extends AbstractFormPostHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
