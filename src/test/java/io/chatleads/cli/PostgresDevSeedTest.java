package io.chatleads.cli;

import io.chatleads.support.TestDatabase;

class PostgresDevSeedTest extends AbstractDevSeedTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
