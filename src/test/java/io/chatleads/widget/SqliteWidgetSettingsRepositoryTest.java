package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class SqliteWidgetSettingsRepositoryTest extends AbstractWidgetSettingsRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
