package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class SqliteOpenApiContractTest extends AbstractOpenApiContractTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
