package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class SqliteMissingChatbotApiTest extends AbstractMissingChatbotApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
