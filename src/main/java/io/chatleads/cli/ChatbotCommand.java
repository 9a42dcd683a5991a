package io.chatleads.cli;

import io.chatleads.lead.LeadStats;
import io.chatleads.Timestamps;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.ChatbotSettings;
import picocli.CommandLine.Command;
import io.chatleads.chatbot.CaptureTarget;
import io.chatleads.chatbot.Chatbot;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "chatbot", description = "Manage chatbots.", subcommands = {ChatbotCommand.Create.class, ChatbotCommand.List.class, ChatbotUpdateCommand.class,
        ChatbotCommand.Delete.class, ChatbotWidgetCommands.Embed.class, ChatbotWidgetCommands.Widget.class})
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

    @Command(name = "list", description = "List an owner's chatbots: id, name, created, leads, whether capture is on.")
    static final class List implements Runnable {
        @ParentCommand
        ChatbotCommand parent;

        @Option(names = "--owner", required = true, paramLabel = "OWNER_ID")
        String ownerId;

        @Override
        public void run() {
            try (Chatleads app = parent.root.open()) {
                Commands.requireOwner(app, ownerId);
                java.util.List<CaptureTarget> chatbots = app.chatbotSettings().listByOwner(ownerId);
                var counts = app.leadStats().perChatbot(
                        chatbots.stream().map(t -> t.chatbot().id()).toList(), 0);
                parent.root.out.println(String.join("\t", "ID", "NAME", "CREATED", "LEADS", "CAPTURE"));
                for (CaptureTarget target : chatbots) {
                    Chatbot chatbot = target.chatbot();
                    parent.root.out.println(String.join("\t", chatbot.id(), chatbot.name(),
                            Timestamps.format(chatbot.createdAt()),
                            Long.toString(counts.getOrDefault(chatbot.id(), LeadStats.ChatbotCounts.NONE).total()),
                            target.settings().captureEnabled() ? "on" : "off"));
                }
            }
        }
    }

    @Command(name = "delete", description = "Delete a chatbot with all its leads, settings and webhooks, for good.")
    static final class Delete implements Runnable {
        @ParentCommand
        ChatbotCommand parent;

        @Parameters(paramLabel = "CHATBOT_ID")
        String chatbotId;

        @Override
        public void run() {
            try (Chatleads app = parent.root.open()) {
                Commands.requireChatbot(app, chatbotId);
                app.chatbots().delete(chatbotId);
                parent.root.out.println("deleted " + chatbotId);
            }
        }
    }
}
