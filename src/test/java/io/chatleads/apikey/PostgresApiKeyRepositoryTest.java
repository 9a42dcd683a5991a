package io.chatleads.apikey;

import io.chatleads.support.TestDatabase;

class PostgresApiKeyRepositoryTest extends AbstractApiKeyRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
