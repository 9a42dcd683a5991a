package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.owner.Owner;

/** Look-ups that every command does the same way, with the same one-line errors. */
final class Commands {

    private Commands() {
    }

    static Owner requireOwner(Chatleads app, String ownerId) {
        return app.owners().find(ownerId)
                .orElseThrow(() -> new CliException("owner '" + ownerId + "' not found"));
    }

    static Chatbot requireChatbot(Chatleads app, String chatbotId) {
        return app.chatbots().find(chatbotId)
                .orElseThrow(() -> new CliException("chatbot '" + chatbotId + "' not found"));
    }

    /** The region for phone numbers written without +country, as the chatbot's settings say. */
    static String defaultRegion(Chatleads app, Chatbot chatbot) {
        return app.chatbotSettings().find(chatbot.id()).map(ChatbotSettings::defaultRegion).orElse(null);
    }
}
