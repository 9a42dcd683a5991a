package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.ChatbotSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "chatbot", description = "Manage chatbots.", subcommands = {ChatbotCommand.Create.class, ChatbotUpdateCommand.class,
        ChatbotWidgetCommands.Embed.class, ChatbotWidgetCommands.Widget.class})
final class ChatbotCommand {

    @ParentCommand
    ChatleadsCommand root;

    @Command(name = "create", description = "Create a chatbot for an owner; prints its id.")
    static final class Create implements Runnable {
        @ParentCommand
        ChatbotCommand parent;

        @Option(names = "--owner", required = true, paramLabel = "OWNER_ID")
        String ownerId;

        @Option(names = "--name", required = true)
        String name;

        @Override
        public void run() {
            String trimmed = ChatbotSettings.chatbotName("--name", name);
            try (Chatleads app = parent.root.open()) {
                Commands.requireOwner(app, ownerId);
                parent.root.out.println(app.chatbots().create(ownerId, trimmed).id());
            }
        }
    }
}
