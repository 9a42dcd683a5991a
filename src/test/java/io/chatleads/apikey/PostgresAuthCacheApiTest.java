package io.chatleads.apikey;

import io.chatleads.support.TestDatabase;

class PostgresAuthCacheApiTest extends AbstractAuthCacheApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
