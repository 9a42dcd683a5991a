package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.lead.LeadValidator;
import io.chatleads.owner.OwnerRepository.DuplicateOwnerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "owner", description = "Manage chatbot owners.", subcommands = OwnerCommand.Create.class)
final class OwnerCommand {

    @ParentCommand
    ChatleadsCommand root;

    @Command(name = "create", description = "Create an owner; prints its id.")
    static final class Create implements Runnable {
        @ParentCommand
        OwnerCommand parent;

        @Option(names = "--email", required = true, description = "The owner's email address.")
        String email;

        @Override
        public void run() {
            String normalized = LeadValidator.email(email);
            if (normalized == null) {
                throw new CliException("--email must not be blank");
            }
            try (Chatleads app = parent.root.open()) {
                parent.root.out.println(app.owners().create(normalized).id());
            } catch (DuplicateOwnerException e) {
                throw new CliException(e.getMessage());
            }
        }
    }
}
