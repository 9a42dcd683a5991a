package io.chatleads.apikey;

import io.chatleads.support.TestDatabase;

class SqliteAuthCacheApiTest extends AbstractAuthCacheApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
