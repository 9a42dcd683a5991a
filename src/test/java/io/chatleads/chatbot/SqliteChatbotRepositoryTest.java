package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class SqliteChatbotRepositoryTest extends AbstractChatbotRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
