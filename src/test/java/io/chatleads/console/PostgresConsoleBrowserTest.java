package io.chatleads.console;

import io.chatleads.support.TestDatabase;

class PostgresConsoleBrowserTest extends AbstractConsoleBrowserTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
