package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class SqliteOpenApiContractTest extends AbstractOpenApiContractTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
