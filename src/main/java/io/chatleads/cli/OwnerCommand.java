package io.chatleads.cli;

import io.chatleads.Timestamps;
import io.chatleads.app.Chatleads;
import io.chatleads.lead.LeadValidator;
import io.chatleads.lead.LeadRetention;
import io.chatleads.owner.OwnerRepository.DuplicateOwnerException;
import io.chatleads.account.Account;
import io.chatleads.account.Accounts;
import io.chatleads.account.OwnerAccounts.OwnerSummary;
import io.chatleads.error.DomainException;
import io.chatleads.lead.GetLeadsRoute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.function.Function;

@Command(name = "owner", description = "Manage chatbot owners.",
        subcommands = {OwnerCommand.Create.class, OwnerCommand.SetPassword.class, OwnerCommand.Invite.class,
                OwnerCommand.List.class, OwnerCommand.Retention.class})
final class OwnerCommand {

    @ParentCommand
    ChatleadsCommand root;

    /** Runs {@code work} with the accounts of the command's database; a refusal is the usual one-line error. */
    <T> T withAccounts(Function<Accounts, T> work) {
        try (Chatleads app = root.open()) {
            return work.apply(app.accounts());
        } catch (DomainException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "create", description = "Create an owner; prints its id. With --password-stdin, or at a terminal's "
            + "prompt, it gets a console password too.")
    static final class Create implements Runnable {
        @ParentCommand
        OwnerCommand parent;

        @Option(names = "--email", required = true, description = "The owner's email address.")
        String email;

        @Option(names = "--password-stdin", description = "Read the console password from standard input.")
        boolean passwordStdin;

        @Override
        public void run() {
            String password = PasswordInput.read(passwordStdin, System.in);
            String id = parent.withAccounts(accounts -> accounts.createOwner(email, password).id());
            parent.root.out.println(id);
        }
    }

    @Command(name = "set-password", description = "Set an owner's console password and sign out all their sessions.")
    static final class SetPassword implements Runnable {
        @ParentCommand
        OwnerCommand parent;

        @Option(names = "--email", required = true, description = "The owner's email address.")
        String email;

        @Option(names = "--password-stdin", description = "Read the password from standard input.")
        boolean passwordStdin;

        @Override
        public void run() {
            String password = PasswordInput.read(passwordStdin, System.in);
            if (password == null) {
                throw new CliException("no terminal to ask for the password on: pass it on standard input with --password-stdin");
            }
            parent.withAccounts(accounts -> {
                Account account = accounts.owners().findByEmail(email.strip())
                        .orElseThrow(() -> new CliException("no owner with email " + email.strip()));
                accounts.setPassword(account.ownerId(), password);
                return null;
            });
            parent.root.out.println("password set for " + email.strip() + "; their sessions were signed out");
        }
    }

    @Command(name = "invite", description = "Print a one-time link (valid 24 hours) where the owner chooses a console "
            + "password; creates the owner when the email is new.")
    static final class Invite implements Runnable {
        @ParentCommand
        OwnerCommand parent;

        @Option(names = "--email", required = true, description = "The owner's email address.")
        String email;

        @Override
        public void run() {
            String token = parent.withAccounts(accounts -> {
                String ownerId = accounts.owners().findByEmail(email.strip()).map(Account::ownerId)
                        .orElseGet(() -> accounts.createOwner(email, null).id());
                return accounts.invite(ownerId);
            });
            String base = GetLeadsRoute.publicUrl(parent.root.settings());
            if (base == null) {
                base = "http://localhost:" + parent.root.settings().port();
            }
            parent.root.out.println(base + "/console/invite/" + token);
            parent.root.err.println("The link works once, for 24 hours. Set CHATLEADS_PUBLIC_URL for the address owners reach.");
        }
    }

    @Command(name = "list", description = "List owners: id, email, created, whether they have a console password, chatbots.")
    static final class List implements Runnable {
        @ParentCommand
        OwnerCommand parent;

        @Override
        public void run() {
            java.util.List<OwnerSummary> owners;
            java.util.Map<String, Integer> retention;
            int defaultDays = LeadRetention.defaultDays(parent.root.settings());
            try (Chatleads app = parent.root.open()) {
                owners = app.accounts().owners().list();
                retention = app.owners().leadRetentionDays();
            }
            PrintStream out = parent.root.out;
            out.println(String.join("\t", "ID", "EMAIL", "CREATED", "PASSWORD", "CHATBOTS", "RETENTION"));
            for (OwnerSummary owner : owners) {
                out.println(String.join("\t", owner.id(), owner.email(), Timestamps.format(owner.createdAt()),
                        owner.hasPassword() ? "yes" : "no", Integer.toString(owner.chatbots()),
                        Retention.describe(retention.get(owner.id()), defaultDays)));
            }
        }
    }

    @Command(name = "retention", description = "Set how long an owner's leads are kept: a number of days, forever, "
            + "or default (CHATLEADS_LEAD_RETENTION_DAYS). Every server deletes older leads within about 10 minutes.")
    static final class Retention implements Runnable {
        @ParentCommand
        OwnerCommand parent;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "OWNER_ID")
        String ownerId;

        @Option(names = "--days", required = true, paramLabel = "N|forever|default",
                description = "1 to " + LeadRetention.MAX_DAYS + ", forever, or default.")
        String days;

        @Override
        public void run() {
            Integer stored = parse(days);
            try (Chatleads app = parent.root.open()) {
                if (!app.owners().setLeadRetentionDays(ownerId, stored)) {
                    throw Commands.notFound("owner", ownerId);
                }
            }
            parent.root.out.println("leads of " + ownerId + " are kept "
                    + describe(stored, LeadRetention.defaultDays(parent.root.settings())));
        }

        /** What {@code owners.lead_retention_days} stores: null for the default, 0 for forever. */
        static Integer parse(String days) {
            String value = days.strip();
            if (value.equalsIgnoreCase("forever")) {
                return 0;
            }
            if (value.equalsIgnoreCase("default")) {
                return null;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= 1 && parsed <= LeadRetention.MAX_DAYS) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // the message below says what is accepted
            }
            throw new CliException("--days must be a number of days from 1 to " + LeadRetention.MAX_DAYS
                    + ", forever, or default; got '" + days + "'");
        }

        static String describe(Integer ownDays, int defaultDays) {
            if (ownDays == null) {
                return (defaultDays == 0 ? "forever" : defaultDays + " days") + " (default)";
            }
            return ownDays == 0 ? "forever" : ownDays + " days";
        }
    }
}
