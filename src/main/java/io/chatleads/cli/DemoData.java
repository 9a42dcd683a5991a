package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.RandomIds;
import io.chatleads.account.Accounts;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;

/** The data {@code serve --demo} creates in an empty database, so a first curl has something to show. */
final class DemoData {

    static final int LEAD_COUNT = 50;
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
            "Margaret", "Dennis", "Radia", "Tim", "Shafi", "Leslie", "Sophie"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen",
            "Thompson", "Hamilton", "Ritchie", "Perlman", "Berners-Lee", "Goldwasser", "Lamport", "Wilson"};

    /** What was created; the key's secret and the console password exist only here and in the printed instructions. */
    record Created(Owner owner, Chatbot chatbot, String secret, String password) {
        @Override
        public String toString() {
            return "Created[owner=" + owner + ", chatbot=" + chatbot + "]";
        }
    }

    private DemoData() {
    }

    /** Null when the database already has an owner: demo mode never touches real data. */
    static Created createIfEmpty(Chatleads app, Accounts accounts) {
        if (app.owners().any()) {
            return null;
        }
        // A generated password, printed once: a demo reachable from the network must not open with a known one.
        String password = RandomIds.urlSafe(16);
        Owner owner = accounts.createOwner("demo@example.com", password);
        Chatbot chatbot = app.chatbots().create(owner.id(), "Demo chatbot");
        String secret = app.apiKeys().create(owner.id(), "demo").secret();
        Random random = new Random(42);
        Instant now = Instant.now();
        for (int i = 0; i < LEAD_COUNT; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            Instant createdAt = now.minus(Duration.ofMillis((long) (random.nextDouble() * Duration.ofDays(30).toMillis())));
            String phone = random.nextBoolean() ? String.format("+1415555%04d", random.nextInt(10_000)) : null;
            app.leads().create(new NewLead(chatbot.id(), owner.id(), first + " " + last,
                    (first + "." + last + i + "@example.com").toLowerCase(), phone, null, createdAt));
        }
        return new Created(owner, chatbot, secret, password);
    }

    /** First of all that serve --demo prints: where the console is, and the demo login. */
    static void printConsoleLogin(PrintStream out, Created created, int port) {
        if (created == null) {
            return;
        }
        out.println("Console: http://localhost:" + port + "/console");
        out.println("  sign in as " + created.owner().email() + " with password " + created.password() + " (shown once)");
    }

    static void printInstructions(PrintStream out, Created created, int port) {
        if (created == null) {
            out.println("demo: the database already has owners, so no demo data was created.");
            return;
        }
        String base = "http://localhost:" + port;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        out.println();
        out.println("Demo data: owner " + created.owner().id() + ", chatbot " + created.chatbot().id()
                + ", " + LEAD_COUNT + " leads over the last 30 days.");
        out.println("API key (shown once): " + created.secret());
        out.println();
        out.println("Try:");
        out.println("  curl -s '" + base + "/api/v1/get-leads?chatbotId=" + created.chatbot().id() + "&page=1&size=10' \\");
        out.println("    -H 'Authorization: Bearer " + created.secret() + "'");
        out.println("  curl -s '" + base + "/api/v1/get-leads?chatbotId=" + created.chatbot().id()
                + "&startDate=" + today.minusDays(7) + "&endDate=" + today + "&size=100' \\");
        out.println("    -H 'Authorization: Bearer " + created.secret() + "'");
        out.println();
    }
}
