package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class SqliteLeadCsvExportHttpTest extends AbstractLeadCsvExportHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
