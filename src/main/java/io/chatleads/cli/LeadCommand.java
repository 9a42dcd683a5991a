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
import io.chatleads.lead.LeadRetention;
import io.chatleads.error.InvalidInput;
import io.chatleads.Timestamps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

@Command(name = "lead", description = "Manage leads.", subcommands = {LeadCommand.Add.class, LeadImportCommand.class, LeadExportCommand.class,
        LeadCommand.Purge.class})
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

    @Command(name = "purge", description = "Delete a chatbot's leads older than some days, with their webhook deliveries "
            + "and idempotency keys, in batches of 1,000; --dry-run only counts them.")
    static final class Purge implements Runnable {
        @ParentCommand
        LeadCommand parent;

        @Option(names = "--older-than", required = true, paramLabel = "DAYS",
                description = "Leads created more than this many days ago, 1 to " + LeadRetention.MAX_DAYS + ".")
        int days;

        @Option(names = "--chatbot", required = true, paramLabel = "CHATBOT_ID")
        String chatbotId;

        @Option(names = "--dry-run", description = "Count the leads that would go; delete nothing.")
        boolean dryRun;

        @Override
        public void run() {
            try (Chatleads app = parent.root.open()) {
                Chatbot chatbot = Commands.requireChatbot(app, chatbotId);
                long cutoff;
                try {
                    cutoff = app.leadRetention().cutoff(days);
                } catch (InvalidInput e) {
                    throw new CliException("--older-than: " + e.getMessage());
                }
                if (dryRun) {
                    long count = app.leadRetention().count(chatbot.id(), cutoff);
                    parent.root.out.println("would delete " + Plural.of(count, "lead") + " created before "
                            + Timestamps.format(Instant.ofEpochMilli(cutoff)) + " (dry run: nothing deleted)");
                } else {
                    long deleted = app.leadRetention().purge(chatbot.id(), cutoff);
                    parent.root.out.println("deleted " + Plural.of(deleted, "lead") + " created before "
                            + Timestamps.format(Instant.ofEpochMilli(cutoff)));
                }
            }
        }
    }
}
