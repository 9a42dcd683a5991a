package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class PostgresOpenApiContractTest extends AbstractOpenApiContractTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
