package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class PostgresMissingChatbotApiTest extends AbstractMissingChatbotApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
