package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class PostgresChatbotRepositoryTest extends AbstractChatbotRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
