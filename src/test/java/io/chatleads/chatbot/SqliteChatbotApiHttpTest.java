package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class SqliteChatbotApiHttpTest extends AbstractChatbotApiHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
