package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class PostgresOpenApiContractTest extends AbstractOpenApiContractTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
