package io.chatleads.account;

import io.chatleads.support.TestDatabase;

class PostgresAccountsTest extends AbstractAccountsTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
