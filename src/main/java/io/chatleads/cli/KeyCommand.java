package io.chatleads.cli;

import io.chatleads.Settings.ResponseEnvelope;

import io.chatleads.Timestamps;
import io.chatleads.app.Chatleads;
import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyNames;
import io.chatleads.error.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;

@Command(name = "key", description = "Manage API keys.",
        subcommands = {KeyCommand.Create.class, KeyCommand.List.class, KeyCommand.Update.class, KeyCommand.Revoke.class})
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

        @Option(names = "--response-envelope", paramLabel = "SHAPE",
                description = "This key's get-leads shape: data, collectedCustomers or collectedCustomersArray. "
                        + "Default: the server's CHATLEADS_RESPONSE_ENVELOPE.")
        String envelope;

        @Override
        public void run() {
            ResponseEnvelope shape = envelope == null ? null : shape(envelope);
            String trimmed;
            try {
                // The API's and the console's rule: key list prints one key a line, tab-separated.
                trimmed = ApiKeyNames.require("--name", name);
            } catch (InvalidInput e) {
                throw new CliException(e.getMessage());
            }
            try (Chatleads app = parent.root.open()) {
                Commands.requireOwner(app, ownerId);
                parent.root.out.println(app.apiKeys().create(ownerId, trimmed, shape).secret());
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
            Commands.listOfOwner(parent.root, ownerId,
                    new String[]{"ID", "NAME", "PREFIX", "CREATED", "LAST_USED", "ENVELOPE", "REVOKED"},
                    app -> app.apiKeys().listByOwner(ownerId),
                    (ApiKey key) -> new String[]{key.id(), key.name(), key.prefix(), time(key.createdAt()),
                            time(key.lastUsedAt()), key.responseEnvelope() == null ? "default" : key.responseEnvelope().value(),
                            time(key.revokedAt())});
        }

        private static String time(Instant instant) {
            return instant == null ? "-" : Timestamps.format(instant);
        }
    }

    @Command(name = "update", description = "Change a key's get-leads response shape; running servers apply it "
            + "within the key cache's TTL (5 s at most).")
    static final class Update implements Runnable {
        @ParentCommand
        KeyCommand parent;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Option(names = "--response-envelope", required = true, paramLabel = "SHAPE",
                description = "data, collectedCustomers, collectedCustomersArray, or default (the server's CHATLEADS_RESPONSE_ENVELOPE).")
        String envelope;

        @Override
        public void run() {
            ResponseEnvelope shape = envelope.equals("default") ? null : shape(envelope);
            Commands.change(parent.root, "key", keyId, app -> app.apiKeys().setResponseEnvelope(keyId, shape),
                    keyId + " answers " + (shape == null ? "the server's default shape" : shape.value()));
        }
    }

    static ResponseEnvelope shape(String value) {
        return ResponseEnvelope.named(value).orElseThrow(() -> new CliException(
                "--response-envelope must be " + ResponseEnvelope.names() + ", got '" + value + "'"));
    }

    @Command(name = "revoke", description = "Revoke a key; running servers stop accepting it within about 250 ms (at most the 5 s cache TTL).")
    static final class Revoke implements Runnable {
        @ParentCommand
        KeyCommand parent;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public void run() {
            Commands.change(parent.root, "key", keyId, app -> app.apiKeys().revoke(keyId), "revoked " + keyId);
        }
    }
}
