package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class SqliteWidgetBrowserTest extends AbstractWidgetBrowserTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
