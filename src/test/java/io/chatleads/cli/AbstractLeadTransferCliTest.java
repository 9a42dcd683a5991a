package io.chatleads.cli;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.Lead;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lead import, lead export and chatbot update, run in-process against a real database. */
abstract class AbstractLeadTransferCliTest extends DatabaseTestBase {

    Chatbot chatbot;

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void newChatbot() {
        Owner owner = app.owners().create("o-" + UUID.randomUUID() + "@example.com");
        chatbot = app.chatbots().create(owner.id(), "bot");
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatleadsCommand.run(args, database::settings,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path file(String name, String content) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, content);
        return path;
    }

    List<Lead> leads() {
        return app.leads().rangeAfter(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 10_000);
    }

    static void assertUsageError(Run run, String mentions) {
        assertEquals(2, run.status(), run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("error: ") && run.err().contains(mentions), run.err());
    }

    @Test
    void importsCsvWithColumnsInAnyOrderAndExtraColumns() throws IOException {
        Path csv = file("leads.csv", """
                Phone,extra,EMAIL,created_at,name
                +1 415 555 0100,x,Ada@Example.com,2024-05-01T12:00:00Z,Ada
                ,y,grace@example.com,,"Hopper, Grace"
                "+44 20 7946 0958","multi
                line",,2024-05-02T00:00:00.123Z,Line
                +1 415 555 0101,,,,"bad\u0001name"
                """);
        Run strict = run("lead", "import", "--chatbot", chatbot.id(), csv.toString());
        // Line numbers count the physical lines of the file, quoted line breaks included.
        assertTrue(strict.out().contains("line 6: name must not contain control characters"), strict.out());
        assertEquals(0, leads().size());
        Run run = run("lead", "import", "--chatbot", chatbot.id(), "--skip-invalid", csv.toString());
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("imported 3 leads, skipped 1 invalid row ("), run.out());
        List<Lead> leads = leads();
        assertEquals(3, leads.size());
        Lead ada = leads.stream().filter(l -> "Ada".equals(l.name())).findFirst().orElseThrow();
        assertEquals("Ada@example.com", ada.email());
        assertEquals("+14155550100", ada.phone());
        assertEquals("2024-05-01T12:00:00Z", ada.createdAt().toString());
        assertTrue(leads.stream().anyMatch(l -> "Hopper, Grace".equals(l.name()) && l.phone() == null));
        assertTrue(leads.stream().anyMatch(l -> "Line".equals(l.name()) && "+442079460958".equals(l.phone())));
    }

    @Test
    void importsJsonLinesWithTheChatbotsDefaultRegion() throws IOException {
        Run update = run("chatbot", "update", chatbot.id(), "--default-region", "us");
        assertEquals(0, update.status(), update.toString());
        Path jsonl = file("leads.jsonl", """
                {"name":"A","phone":"(415) 555-0100","created_at":"2024-01-01T00:00:00Z","ignored":true}

                {"email":"b@example.com"}
                """);
        Run run = run("lead", "import", "--chatbot", chatbot.id(), jsonl.toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals(2, leads().size());
        assertTrue(leads().stream().anyMatch(l -> "+14155550100".equals(l.phone())));
    }

    @Test
    void aFileWithBadRowsImportsNothingAndReportsEveryOne() throws IOException {
        Path csv = file("bad.csv", """
                name,email,phone
                Good,good@example.com,
                Bad,not-an-email,
                Nothing,,

                Also good,also@example.com,
                Phone,,12
                """);
        Run run = run("lead", "import", "--chatbot", chatbot.id(), csv.toString());
        assertUsageError(run, "3 invalid rows in");
        assertTrue(run.out().contains("line 3: email is not a valid address"), run.out());
        assertTrue(run.out().contains("line 4: email or phone is required"), run.out());
        assertTrue(run.out().contains("line 7: phone is not a valid phone number"), run.out());
        assertEquals(0, leads().size());

        Run skipping = run("lead", "import", "--chatbot", chatbot.id(), "--skip-invalid", csv.toString());
        assertEquals(0, skipping.status(), skipping.toString());
        assertTrue(skipping.out().contains("imported 2 leads, skipped 3 invalid rows"), skipping.out());
        assertTrue(skipping.out().contains("line 3:"), skipping.out());
        assertEquals(2, leads().size());
    }

    /**
     * U+0000 made PostgreSQL's COPY fail half-way ("unexpected IllegalStateException", status 1),
     * an unpaired surrogate was imported as '?', and a second object on a JSON line was dropped:
     * all are bad rows like any other.
     */
    @Test
    void rowsWithTextNoDatabaseCanStoreAreReportedByLine() throws IOException {
        Path jsonl = file("unstorable.jsonl", """
                {"email":"good@example.com","conversation_id":"c-1"}
                {"email":"nul@example.com","conversation_id":"c\\u0000d"}
                {"email":"half@example.com","name":"Ada \\ud800"}
                {"email":"one@example.com"} {"email":"two@example.com"}
                """);
        Run run = run("lead", "import", "--chatbot", chatbot.id(), jsonl.toString());
        assertUsageError(run, "3 invalid rows in");
        assertTrue(run.out().contains("line 2: conversationId must not contain the NUL character"), run.out());
        assertTrue(run.out().contains("line 3: name must be valid Unicode"), run.out());
        // Two objects on one line: the second was silently dropped.
        assertTrue(run.out().contains("line 4: not valid JSON"), run.out());
        assertEquals(0, leads().size());

        Path csv = file("unstorable.csv", "email,conversation_id\nnul@example.com,c\u0000d\n");
        assertUsageError(run("lead", "import", "--chatbot", chatbot.id(), csv.toString()), "1 invalid row in");
        assertEquals(0, leads().size());
    }

    /**
     * With --emit-events every imported lead gets its leads.submit delivery for each webhook that
     * wants it, across several batches and with skipped rows; without the flag, none.
     */
    @Test
    void emitEventsWritesOneDeliveryPerImportedLeadAndWebhook() throws IOException {
        String everyChatbot = app.webhooks().create(chatbot.ownerId(), null, "https://a.example/hook",
                List.of("leads.submit")).webhook().id();
        String thisChatbot = app.webhooks().create(chatbot.ownerId(), chatbot.id(), "https://b.example/hook",
                List.of("leads.submit")).webhook().id();
        Chatbot otherBot = app.chatbots().create(chatbot.ownerId(), "other");
        String otherChatbotsOnly = app.webhooks().create(chatbot.ownerId(), otherBot.id(), "https://c.example/hook",
                List.of("leads.submit")).webhook().id();
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 2_300; i++) {
            csv.append(i % 1_000 == 7 ? "broken" : "lead" + i + "@example.com").append('\n');
        }

        Run quiet = run("lead", "import", "--chatbot", chatbot.id(), "--skip-invalid", file("quiet.csv", csv.toString()).toString());
        assertEquals(0, quiet.status(), quiet.toString());
        assertEquals(0, deliveries(everyChatbot), "no events without --emit-events");

        Run loud = run("lead", "import", "--chatbot", chatbot.id(), "--skip-invalid", "--emit-events",
                file("loud.csv", csv.toString()).toString());
        assertEquals(0, loud.status(), loud.toString());
        assertEquals(2 * 2_297, leads().size());
        assertEquals(2_297, deliveries(everyChatbot));
        assertEquals(2_297, deliveries(thisChatbot));
        assertEquals(0, deliveries(otherChatbotsOnly));
        int namingTheirLead = app.database().jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT count(*) FROM webhook_deliveries d JOIN leads l ON l.id = d.lead_id
                        WHERE d.webhook_id = :id AND d.body LIKE '%"customerEmail":"' || l.email || '"%'
                        """).bind("id", everyChatbot).mapTo(Integer.class).one());
        assertEquals(2_297, namingTheirLead);
    }

    private int deliveries(String webhookId) {
        return app.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = :id").bind("id", webhookId).mapTo(Integer.class).one());
    }

    @Test
    void badRowsAfterManyBatchesStillImportNothing() throws IOException {
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 2_500; i++) {
            csv.append("lead").append(i).append("@example.com\n");
        }
        csv.append("broken\n");
        Run run = run("lead", "import", "--chatbot", chatbot.id(), file("late.csv", csv.toString()).toString());
        assertUsageError(run, "1 invalid row in");
        assertTrue(run.out().contains("line 2502:"), run.out());
        assertEquals(0, leads().size());
    }

    @Test
    void importKeepsQuotesCommasAndNonAsciiTextExactlyAcrossManyBatches() throws IOException {
        // Enough long multi-byte rows that the stream's chunks end inside fields and characters.
        StringBuilder csv = new StringBuilder("name,email,phone,conversation_id,created_at\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String name = i + " \"Zoë\", O'Brien, 日本語 \uD83D\uDE00 " + "é".repeat(i % 150) + ".";
            names.add(name);
            csv.append('"').append(name.replace("\"", "\"\"")).append("\",")
                    .append("\"q\"\"").append(i).append("\"\"@Example.COM\",")
                    .append("+1 415 555 ").append(String.format("%04d", i)).append(',')
                    .append(i % 2 == 0 ? "" : "conv-" + i).append(',')
                    .append("2024-05-01T12:00:").append(String.format("%02d", i % 60)).append(".5Z\n");
        }
        Run run = run("lead", "import", "--chatbot", chatbot.id(), file("text.csv", csv.toString()).toString());
        assertEquals(0, run.status(), run.toString());
        List<Lead> leads = leads();
        assertEquals(3_000, leads.size());
        for (Lead lead : leads) {
            int i = Integer.parseInt(lead.name().substring(0, lead.name().indexOf(' ')));
            assertEquals(names.get(i), lead.name());
            assertEquals("q\"" + i + "\"@example.com", lead.email());
            assertEquals("+1415555" + String.format("%04d", i), lead.phone());
            assertEquals(i % 2 == 0 ? null : "conv-" + i, lead.conversationId());
            assertEquals(String.format("2024-05-01T12:00:%02d.500Z", i % 60), lead.createdAt().toString());
        }
    }

    @Test
    void aBadRowAfterMuchHasBeenStoredImportsNothingAndTheNextImportWorks() throws IOException {
        StringBuilder csv = new StringBuilder("name,email\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("Lead number ").append(i).append(",lead").append(i).append("@example.com\n");
        }
        csv.append("Broken,broken\n");
        Run bad = run("lead", "import", "--chatbot", chatbot.id(), file("late.csv", csv.toString()).toString());
        assertUsageError(bad, "1 invalid row in");
        assertTrue(bad.out().contains("line 20002:"), bad.out());
        assertEquals(0, leads().size());
        Run good = run("lead", "import", "--chatbot", chatbot.id(), file("ok.csv", "email\na@example.com\n").toString());
        assertEquals(0, good.status(), good.toString());
        assertEquals(1, leads().size());
    }

    @Test
    void reportsTheFirstHundredBadRowsAndCountsTheRest() throws IOException {
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 150; i++) {
            csv.append("bad").append(i).append('\n');
        }
        Run run = run("lead", "import", "--chatbot", chatbot.id(), file("many.csv", csv.toString()).toString());
        assertUsageError(run, "150 invalid rows in");
        assertEquals(101, run.out().lines().count(), run.out());
        assertTrue(run.out().contains("line 101: email is not a valid address: 'bad99'"), run.out());
        assertTrue(run.out().endsWith("… and 50 more invalid rows\n"), run.out());
    }

    @Test
    void unusableFilesAndArguments() throws IOException {
        assertUsageError(run("lead", "import", "--chatbot", chatbot.id(), dir.resolve("missing.csv").toString()), "not found");
        assertUsageError(run("lead", "import", "--chatbot", "nope", file("a.csv", "email\na@example.com\n").toString()),
                "chatbot 'nope' not found");
        assertUsageError(run("lead", "import", "--chatbot", chatbot.id(), file("h.csv", "first,last\nA,B\n").toString()),
                "email or a phone column");
        assertUsageError(run("lead", "import", "--chatbot", chatbot.id(), "--format", "xml",
                file("b.csv", "email\n").toString()), "--format");
        assertUsageError(run("lead", "export", "--chatbot", chatbot.id(), "--start-date", "2024-1-1"), "--start-date");
        assertUsageError(run("lead", "export", "--chatbot", chatbot.id(), "--start-date", "2024-02-02",
                "--end-date", "2024-02-01"), "after");
        assertUsageError(run("chatbot", "update", chatbot.id(), "--capture", "maybe"), "--capture");
        assertUsageError(run("chatbot", "update", chatbot.id(), "--default-region", "XX"), "defaultRegion");
        assertUsageError(run("chatbot", "update", chatbot.id(), "--allowed-origin", "example.com"), "origin");
        assertUsageError(run("chatbot", "update", "nope", "--capture", "off"), "not found");
        // The error named only the temporary file it could not create.
        assertUsageError(run("lead", "export", "--chatbot", chatbot.id(), "--output", dir.resolve("no/such/dir/x.csv").toString()),
                "directory " + dir.resolve("no/such/dir") + " does not exist");
        // Latin-1 bytes: the error said only "Input length = 1".
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "email,name\nz@example.com,Zo\u00eb\n".getBytes(StandardCharsets.ISO_8859_1));
        assertUsageError(run("lead", "import", "--chatbot", chatbot.id(), latin1.toString()), "not UTF-8");
        assertEquals(0, leads().size());
        assertTrue(app.chatbotSettings().find(chatbot.id()).orElseThrow().captureEnabled());
    }

    /** Tools on Windows start UTF-8 files with a byte order mark; CSV skipped it, JSON Lines called line 1 invalid. */
    @Test
    void aByteOrderMarkIsSkippedInJsonLinesAsInCsv() throws IOException {
        Run jsonl = run("lead", "import", "--chatbot", chatbot.id(),
                file("bom.jsonl", "\uFEFF{\"email\":\"bom@example.com\"}\n").toString());
        assertEquals(0, jsonl.status(), jsonl.toString());
        Run csv = run("lead", "import", "--chatbot", chatbot.id(), file("bom.csv", "\uFEFFemail\nbom2@example.com\n").toString());
        assertEquals(0, csv.status(), csv.toString());
        assertEquals(List.of("bom2@example.com", "bom@example.com"), leads().stream().map(Lead::email).sorted().toList());
    }

    @Test
    void chatbotUpdateSetsCaptureAndOrigins() {
        Run run = run("chatbot", "update", chatbot.id(), "--capture", "off",
                "--allowed-origin", "https://a.example", "--allowed-origin", "http://localhost:8080");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("capture\toff"), run.out());
        assertTrue(run.out().contains("allowed-origins\thttp://localhost:8080 https://a.example"), run.out());
        var settings = app.chatbotSettings().find(chatbot.id()).orElseThrow();
        assertEquals(List.of("http://localhost:8080", "https://a.example"), settings.allowedOrigins());
        Run cleared = run("chatbot", "update", chatbot.id(), "--capture", "on", "--clear-allowed-origins");
        assertTrue(cleared.out().contains("allowed-origins\tany"), cleared.out());
    }

    @Test
    void chatbotIdsThatStartWithADashAreStillIds() {
        String id = "-dash-first-id-000001";
        app.database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO chatbots (id, owner_id, name, created_at) VALUES (?, ?, 'dash', 0)", id, chatbot.ownerId()));
        Run run = run("chatbot", "update", id, "--capture", "off");
        assertEquals(0, run.status(), run.toString());
        assertTrue(!app.chatbotSettings().find(id).orElseThrow().captureEnabled());
        assertUsageError(run("chatbot", "update", chatbot.id(), "--captur", "off"), "error");
    }

    /** Every command has --help; ids that begin like the short forms -h and -V must stay ids. */
    @Test
    void chatbotIdsThatLookLikeShortHelpOrVersionOptionsAreStillIds() {
        for (String id : List.of("-hdash-first-id-00001", "-Vdash-first-id-00001")) {
            app.database().jdbi().useHandle(h -> h.execute(
                    "INSERT INTO chatbots (id, owner_id, name, created_at) VALUES (?, ?, 'dash', 0)", id, chatbot.ownerId()));
            Run update = run("chatbot", "update", id, "--capture", "off");
            assertEquals(0, update.status(), update.toString());
            assertTrue(!app.chatbotSettings().find(id).orElseThrow().captureEnabled(), id);
            Run add = run("lead", "add", "--chatbot", id, "--email", "a@example.com");
            assertEquals(0, add.status(), add.toString());
            assertTrue(add.out().contains("\"chatbot_id\":\"" + id + "\""), add.out());
        }
    }

    @Test
    void exportWritesCsvNewestFirstWithinTheDates() throws IOException {
        Path csv = file("in.csv", """
                name,email,created_at
                Old,old@example.com,2024-01-31T23:59:59.999Z
                First,first@example.com,2024-02-01T00:00:00.000Z
                =HYPERLINK("x"),formula@example.com,2024-02-10T10:00:00Z
                Last,last@example.com,2024-02-29T23:59:59.999Z
                New,new@example.com,2024-03-01T00:00:00Z
                """);
        assertEquals(0, run("lead", "import", "--chatbot", chatbot.id(), csv.toString()).status());
        Run run = run("lead", "export", "--chatbot", chatbot.id(), "--start-date", "2024-02-01", "--end-date", "2024-02-29");
        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("id,created_at,chatbot_owner_user_id,chatbot_id,phone,email,name", lines.get(0));
        assertEquals(4, lines.size(), run.out());
        assertTrue(lines.get(1).endsWith(",last@example.com,Last"), lines.get(1));
        assertTrue(lines.get(2).endsWith(",formula@example.com,\"'=HYPERLINK(\"\"x\"\")\""), lines.get(2));
        assertTrue(lines.get(3).contains("2024-02-01T00:00:00.000Z"), lines.get(3));

        Path output = dir.resolve("out.csv");
        Run toFile = run("lead", "export", "--chatbot", chatbot.id(), "--output", output.toString());
        assertEquals(0, toFile.status(), toFile.err());
        assertEquals("", toFile.out());
        assertEquals(6, Files.readAllLines(output).size());
    }
}
