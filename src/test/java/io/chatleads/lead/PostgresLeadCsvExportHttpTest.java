package io.chatleads.lead;

import io.chatleads.support.TestDatabase;

class PostgresLeadCsvExportHttpTest extends AbstractLeadCsvExportHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
