package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class SqliteWidgetSettingsHttpTest extends AbstractWidgetSettingsHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
