package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class PostgresChatbotApiHttpTest extends AbstractChatbotApiHttpTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
