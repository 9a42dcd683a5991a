package io.chatleads.widget;

import io.chatleads.support.TestDatabase;

class PostgresWidgetSettingsHttpTest extends AbstractWidgetSettingsHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
