package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

/** Two servers on one SQLite file: one machine, several processes (the file is not shared across machines). */
class SqliteTwoServersTest extends AbstractTwoServersTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
