package io.chatleads.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.http.StorableText;
import io.chatleads.json.NodeJson;
import io.chatleads.lead.Lead;
import io.chatleads.lead.LeadJson;
import io.chatleads.lead.LeadValidator;
import io.chatleads.lead.NewLead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

@Command(name = "lead", description = "Manage leads.", subcommands = {LeadCommand.Add.class, LeadImportCommand.class, LeadExportCommand.class})
final class LeadCommand {

    @ParentCommand
    ChatleadsCommand root;

    @Command(name = "add", description = "Add a lead to a chatbot; prints it as JSON.")
    static final class Add implements Runnable {
        @ParentCommand
        LeadCommand parent;

        @Option(names = "--chatbot", required = true, paramLabel = "CHATBOT_ID")
        String chatbotId;

        @Option(names = "--name")
        String name;

        @Option(names = "--email")
        String email;

        @Option(names = "--phone", description = "In +country form (E.164 is stored).")
        String phone;

        @Option(names = "--created-at", paramLabel = "ISO-8601-INSTANT", description = "Default: now.")
        String createdAt;

        @Option(names = "--conversation-id", paramLabel = "ID",
                description = "The conversation the lead came from, as the API's conversationId (at most "
                        + LeadValidator.MAX_CONVERSATION_ID + " characters); sent in webhook events.")
        String conversationId;

        @Override
        public void run() {
            Instant when = createdAt == null ? Instant.now() : LeadValidator.createdAt("--created-at", createdAt);
            try (Chatleads app = parent.root.open()) {
                Chatbot chatbot = Commands.requireChatbot(app, chatbotId);
                NewLead lead = LeadValidator.validate(chatbot.id(), chatbot.ownerId(),
                        new LeadValidator.Submission(name, email, phone, StorableText.require("conversationId", conversationId)),
                        Commands.defaultRegion(app, chatbot), when);
                parent.root.out.println(toJson(app.leads().create(lead)));
            }
        }

        private static String toJson(Lead lead) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            try (JsonGenerator out = NodeJson.factory().createGenerator(text)) {
                LeadJson.write(out, lead);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return text.toString(StandardCharsets.UTF_8);
        }
    }
}
