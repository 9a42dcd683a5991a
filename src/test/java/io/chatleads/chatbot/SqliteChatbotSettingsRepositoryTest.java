package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;

class SqliteChatbotSettingsRepositoryTest extends AbstractChatbotSettingsRepositoryTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
