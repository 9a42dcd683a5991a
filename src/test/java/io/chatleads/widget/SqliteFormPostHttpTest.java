package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class SqliteFormPostHttpTest extends AbstractFormPostHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
