package io.chatleads.account;

import io.chatleads.support.TestDatabase;

class SqliteAccountsTest extends AbstractAccountsTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
