package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class PostgresWidgetBrowserTest extends AbstractWidgetBrowserTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
