package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.owner.Owner;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** What commands do the same way (look-ups, a change to one thing, an owner's list), with the same one-line errors and output. */
final class Commands {

    private Commands() {
    }

    static Owner requireOwner(Chatleads app, String ownerId) {
        return app.owners().find(ownerId).orElseThrow(() -> notFound("owner", ownerId));
    }

    static Chatbot requireChatbot(Chatleads app, String chatbotId) {
        return app.chatbots().find(chatbotId).orElseThrow(() -> notFound("chatbot", chatbotId));
    }

    /** The region for phone numbers written without +country, as the chatbot's settings say. */
    static String defaultRegion(Chatleads app, Chatbot chatbot) {
        return app.chatbotSettings().find(chatbot.id()).map(ChatbotSettings::defaultRegion).orElse(null);
    }

    /** The one error for an id that names nothing: {@code key 'ID' not found}. */
    static CliException notFound(String kind, String id) {
        return new CliException(kind + " '" + id + "' not found");
    }

    /**
     * A change to the one thing {@code id} names ({@code change} says whether there was one): prints
     * {@code done} once made, else fails with {@link #notFound}.
     */
    static void change(ChatleadsCommand root, String kind, String id, Predicate<Chatleads> change, String done) {
        try (Chatleads app = root.open()) {
            if (!change.test(app)) {
                throw notFound(kind, id);
            }
            root.out.println(done);
        }
    }

    /**
     * What a list command prints of an owner's things: a header line, then one line a thing, the
     * columns separated by tabs. Fails with {@link #notFound} when there is no such owner.
     */
    static <T> void listOfOwner(ChatleadsCommand root, String ownerId, String[] header,
                                Function<Chatleads, List<T>> things, Function<T, String[]> columns) {
        try (Chatleads app = root.open()) {
            requireOwner(app, ownerId);
            root.out.println(String.join("\t", header));
            for (T thing : things.apply(app)) {
                root.out.println(String.join("\t", columns.apply(thing)));
            }
        }
    }
}
