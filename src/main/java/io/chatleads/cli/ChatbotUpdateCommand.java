package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.ChatbotSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;

@Command(name = "update", description = "Change a chatbot's lead-capture settings; prints them.")
final class ChatbotUpdateCommand implements Runnable {

    @ParentCommand
    ChatbotCommand parent;

    @Parameters(paramLabel = "CHATBOT_ID")
    String chatbotId;

    @Option(names = "--capture", paramLabel = "on|off", description = "Whether the widget may submit leads.")
    String capture;

    @Option(names = "--allowed-origin", paramLabel = "URL",
            description = "An origin such as https://example.com that the widget may submit from; repeat for more. "
                    + "Replaces the list. Without any, every origin may submit.")
    List<String> allowedOrigins;

    @Option(names = "--clear-allowed-origins", description = "Let every origin submit again.")
    boolean clearAllowedOrigins;

    @Option(names = "--default-region", paramLabel = "CC",
            description = "Country code (US, DE, …) for phone numbers written without +country; 'none' clears it.")
    String defaultRegion;

    @Override
    public void run() {
        ChatbotSettings.Change change = ChatbotSettings.Change.none();
        if (capture != null) {
            change = switch (capture.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "on" -> change.withCaptureEnabled(true);
                case "off" -> change.withCaptureEnabled(false);
                default -> throw new CliException("--capture must be on or off, got '" + capture + "'");
            };
        }
        if (allowedOrigins != null && clearAllowedOrigins) {
            throw new CliException("--allowed-origin and --clear-allowed-origins cannot be combined");
        }
        if (allowedOrigins != null || clearAllowedOrigins) {
            change = change.withAllowedOrigins(clearAllowedOrigins ? List.of() : allowedOrigins);
        }
        if (defaultRegion != null) {
            change = change.withDefaultRegion(defaultRegion.strip().equalsIgnoreCase("none") ? null : defaultRegion);
        }
        try (Chatleads app = parent.root.open()) {
            Commands.requireChatbot(app, chatbotId);
            ChatbotSettings settings = app.chatbotSettings().update(chatbotId, change)
                    .orElseThrow(() -> Commands.notFound("chatbot", chatbotId));
            parent.root.out.println("capture\t" + (settings.captureEnabled() ? "on" : "off"));
            parent.root.out.println("default-region\t" + (settings.defaultRegion() == null ? "none" : settings.defaultRegion()));
            parent.root.out.println("allowed-origins\t" + (settings.allowedOrigins().isEmpty() ? "any"
                    : String.join(" ", settings.allowedOrigins())));
        }
    }
}
