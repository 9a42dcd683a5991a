package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class PostgresChatbotSettingsRepositoryTest extends AbstractChatbotSettingsRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
