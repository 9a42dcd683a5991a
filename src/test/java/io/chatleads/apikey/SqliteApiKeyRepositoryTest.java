package io.chatleads.apikey;

import io.chatleads.support.TestDatabase;

class SqliteApiKeyRepositoryTest extends AbstractApiKeyRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
