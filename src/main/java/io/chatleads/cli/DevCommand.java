package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

@Command(name = "dev", description = "Tools for development and benchmarks.", subcommands = DevCommand.Seed.class)
final class DevCommand {

    @ParentCommand
    ChatleadsCommand root;

    @Command(name = "seed", description = {
            "Fill an EMPTY database with synthetic data for benchmarks.",
            "Creates owners, chatbots, keys and leads, and writes the keys (plaintext) and chatbot ids",
            "to a file for the load scripts."})
    static final class Seed implements Runnable {
        @ParentCommand
        DevCommand parent;

        @Option(names = "--owners", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}.")
        int owners;

        @Option(names = "--chatbots", defaultValue = "1000", description = "Spread round-robin over the owners. Default: ${DEFAULT-VALUE}.")
        int chatbots;

        @Option(names = "--leads", defaultValue = "1000000", description = "In total. Default: ${DEFAULT-VALUE}.")
        long leads;

        @Option(names = "--big-chatbot-leads", defaultValue = "0",
                description = "Of --leads, how many go to one big chatbot; the rest are spread evenly over the others.")
        long bigChatbotLeads;

        @Option(names = "--keys-file", defaultValue = "seed-keys.txt", paramLabel = "PATH",
                description = "Where the keys and chatbot ids go (mode 600). Default: ${DEFAULT-VALUE}.")
        Path keysFile;

        @Option(names = "--days", defaultValue = "730", description = "created_at spread over this many days up to now. Default: ${DEFAULT-VALUE}.")
        int days;

        @Option(names = "--random-seed", defaultValue = "42",
                description = "The same seed gives the same phones and the same order in time. Default: ${DEFAULT-VALUE}.")
        long randomSeed;

        @Option(names = "--quiet", description = "No progress on stderr.")
        boolean quiet;

        @Override
        public void run() {
            validate();
            try (Chatleads app = parent.root.open()) {
                if (app.owners().any()) {
                    throw new CliException("dev seed needs an empty database, and this one has owners; it never adds to real data");
                }
                long started = System.nanoTime();
                List<Owner> ownerList = new ArrayList<>();
                List<String> secrets = new ArrayList<>();
                for (int i = 0; i < owners; i++) {
                    Owner owner = app.owners().create("seed-owner-" + i + "@example.com");
                    ownerList.add(owner);
                    // The repository's own path: only the SHA-256 of the secret is stored.
                    secrets.add(app.apiKeys().create(owner.id(), "seed").secret());
                }
                List<Chatbot> bots = new ArrayList<>();
                for (int i = 0; i < chatbots; i++) {
                    bots.add(app.chatbots().create(ownerList.get(i % owners).id(), "seed chatbot " + i));
                }
                long[] counts = leadCounts();
                writeKeysFile(bots, secrets, counts);
                LeadSource source = new LeadSource(bots, counts, randomSeed, Instant.now(), Duration.ofDays(days));
                String rate;
                try (Progress progress = Progress.start(parent.root, quiet, "seeding leads", source::made, leads, null)) {
                    app.leads().bulkLoad(source::next);
                    rate = progress.summary();
                }
                parent.root.err.printf("seeded %s, %s, %s in %.1f s (leads: %s); keys in %s%n", Plural.of(owners, "owner"),
                        Plural.of(chatbots, "chatbot"), Plural.of(leads, "lead"), (System.nanoTime() - started) / 1e9, rate, keysFile);
            }
        }

        private void validate() {
            if (owners < 1 || chatbots < 1 || leads < 0 || days < 1) {
                throw new CliException("--owners, --chatbots and --days must be at least 1, and --leads at least 0");
            }
            if (bigChatbotLeads < 0 || bigChatbotLeads > leads) {
                throw new CliException("--big-chatbot-leads must be from 0 to --leads");
            }
            if (bigChatbotLeads > 0 && chatbots == 1 && bigChatbotLeads != leads) {
                throw new CliException("with one chatbot, --big-chatbot-leads must equal --leads");
            }
        }

        /** How many leads each chatbot gets; chatbot 0 is the big one when there is one. */
        private long[] leadCounts() {
            long[] counts = new long[chatbots];
            int first = bigChatbotLeads > 0 ? 1 : 0;
            if (bigChatbotLeads > 0) {
                counts[0] = bigChatbotLeads;
            }
            int spreadOver = chatbots - first;
            long rest = leads - bigChatbotLeads;
            for (int i = first; i < chatbots; i++) {
                counts[i] = rest / spreadOver + (i - first < rest % spreadOver ? 1 : 0);
            }
            return counts;
        }

        private void writeKeysFile(List<Chatbot> bots, List<String> secrets, long[] counts) {
            StringBuilder text = new StringBuilder()
                    .append("# chatleads dev seed: plaintext API keys for a load test. Delete the file after the run.\n")
                    .append("# kind chatbot_id secret lead_count\n");
            for (int i = 0; i < bots.size(); i++) {
                String kind = i == 0 && bigChatbotLeads > 0 ? "big" : "chatbot";
                text.append(kind).append(' ').append(bots.get(i).id()).append(' ')
                        .append(secrets.get(i % owners)).append(' ').append(counts[i]).append('\n');
            }
            try {
                Path parentDir = keysFile.toAbsolutePath().getParent();
                Files.createDirectories(parentDir);
                Files.deleteIfExists(keysFile);
                Files.createFile(keysFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(keysFile, text);
            } catch (IOException e) {
                throw new CliException("cannot write --keys-file " + keysFile + ": " + e.getMessage());
            }
        }
    }

    /** The synthetic leads, chatbot by chatbot in random created_at order, from a fixed seed. */
    static final class LeadSource {
        private final List<Chatbot> bots;
        private final long[] counts;
        private final SplittableRandom random;
        private final long newest;
        private final long spanMillis;
        private int bot;
        private long made;
        /** Read by the progress thread. */
        private volatile long serial;

        LeadSource(List<Chatbot> bots, long[] counts, long seed, Instant now, Duration span) {
            this.bots = bots;
            this.counts = counts;
            this.random = new SplittableRandom(seed);
            this.newest = now.toEpochMilli();
            this.spanMillis = span.toMillis();
        }

        /** The leads made so far. */
        long made() {
            return serial;
        }

        /** The next lead, or null when every chatbot has its count. */
        NewLead next() {
            while (bot < bots.size() && made >= counts[bot]) {
                bot++;
                made = 0;
            }
            if (bot >= bots.size()) {
                return null;
            }
            made++;
            long n = serial++;
            Chatbot chatbot = bots.get(bot);
            String phone = random.nextBoolean() ? String.format("+1415555%04d", random.nextInt(10_000)) : null;
            return new NewLead(chatbot.id(), chatbot.ownerId(), "Seed Lead " + n, "lead" + n + "@example.com", phone,
                    null, Instant.ofEpochMilli(newest - random.nextLong(spanMillis)));
        }
    }
}
