package io.chatleads.cli;

import io.chatleads.Timestamps;
import io.chatleads.app.Chatleads;
import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyNames;
import io.chatleads.error.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.time.Instant;

@Command(name = "key", description = "Manage API keys.",
        subcommands = {KeyCommand.Create.class, KeyCommand.List.class, KeyCommand.Revoke.class})
final class KeyCommand {

    @ParentCommand
    ChatleadsCommand root;

    @Command(name = "create", description = "Create an API key; prints the secret, which is shown only this once.")
    static final class Create implements Runnable {
        @ParentCommand
        KeyCommand parent;

        @Option(names = "--owner", required = true, paramLabel = "OWNER_ID")
        String ownerId;

        @Option(names = "--name", defaultValue = "default")
        String name;

        @Override
        public void run() {
            String trimmed;
            try {
                // The API's and the console's rule: key list prints one key a line, tab-separated.
                trimmed = ApiKeyNames.require("--name", name);
            } catch (InvalidInput e) {
                throw new CliException(e.getMessage());
            }
            try (Chatleads app = parent.root.open()) {
                Commands.requireOwner(app, ownerId);
                parent.root.out.println(app.apiKeys().create(ownerId, trimmed).secret());
            }
        }
    }

    @Command(name = "list", description = "List an owner's keys (never their secrets).")
    static final class List implements Runnable {
        @ParentCommand
        KeyCommand parent;

        @Option(names = "--owner", required = true, paramLabel = "OWNER_ID")
        String ownerId;

        @Override
        public void run() {
            try (Chatleads app = parent.root.open()) {
                Commands.requireOwner(app, ownerId);
                PrintStream out = parent.root.out;
                out.println(String.join("\t", "ID", "NAME", "PREFIX", "CREATED", "LAST_USED", "REVOKED"));
                for (ApiKey key : app.apiKeys().listByOwner(ownerId)) {
                    out.println(String.join("\t", key.id(), key.name(), key.prefix(), time(key.createdAt()),
                            time(key.lastUsedAt()), time(key.revokedAt())));
                }
            }
        }

        private static String time(Instant instant) {
            return instant == null ? "-" : Timestamps.format(instant);
        }
    }

    @Command(name = "revoke", description = "Revoke a key; running servers stop accepting it within about 250 ms (at most the 5 s cache TTL).")
    static final class Revoke implements Runnable {
        @ParentCommand
        KeyCommand parent;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public void run() {
            try (Chatleads app = parent.root.open()) {
                if (!app.apiKeys().revoke(keyId)) {
                    throw new CliException("key '" + keyId + "' not found");
                }
                parent.root.out.println("revoked " + keyId);
            }
        }
    }
}
