package io.chatleads.ops;

import io.chatleads.support.TestDatabase;

class PostgresTwoServersTest extends AbstractTwoServersTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
