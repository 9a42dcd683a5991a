package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class PostgresWidgetSettingsRepositoryTest extends AbstractWidgetSettingsRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
