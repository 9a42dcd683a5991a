package io.chatleads.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Settings;
import io.chatleads.lead.Lead;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as an operator meets it (issue 17 point 4, issue 19): in-process against a
 * real database, with the same settings a server would read. One subclass per database.
 */
abstract class AbstractOperatorCliTest extends DatabaseTestBase {

    record Result(int status, String out, String err) {
    }

    @TempDir
    Path dir;

    Result run(String... args) {
        return withInput("", args);
    }

    /** The command with {@code stdin} as its standard input. */
    Result withInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Settings settings = database.settings();
        int status = ChatleadsCommand.run(args, () -> settings, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit status 2, nothing on stdout, and one line on stderr. */
    private static String usageError(Result result) {
        assertEquals(2, result.status(), result.toString());
        assertEquals("", result.out(), result.toString());
        assertEquals(1, result.err().lines().count(), result.err());
        return result.err().strip();
    }

    /** The last line of a command: what it did, then its rows and their rate, "(3 rows in 0.2 s, 15 rows/s)". */
    private static void assertSummary(String what, long rows, String printed) {
        assertTrue(printed.matches("\\Q" + what + " (" + String.format(java.util.Locale.ROOT, "%,d", rows) + (rows == 1 ? " row" : " rows")
                + " in \\E\\d+\\.\\d s, [\\d,]+ rows/s\\)\n"), printed);
    }

    private List<Lead> leadsOf(String chatbot) {
        String owner = app.chatbots().find(chatbot).orElseThrow().ownerId();
        return app.leads().rangeAfter(chatbot, owner, Long.MIN_VALUE, Long.MAX_VALUE, null, 10_000);
    }

    private String newChatbot() {
        String owner = app.owners().create("op-" + UUID.randomUUID() + "@example.com").id();
        return app.chatbots().create(owner, "bot").id();
    }

    @Test
    void leadAddTakesAConversationIdWithTheApisRules() throws Exception {
        String chatbot = newChatbot();
        Result added = run("lead", "add", "--chatbot", chatbot, "--email", "conv@example.com",
                "--conversation-id", "  conv\u001f42  ");
        assertEquals(0, added.status(), added.err());
        long id = new ObjectMapper().readTree(added.out()).get("id").asLong();
        Lead lead = app.leads().find(id).orElseThrow();
        assertEquals("conv\u001f42", lead.conversationId(), "trimmed as the API trims it; a control character is kept, as there");

        Result blank = run("lead", "add", "--chatbot", chatbot, "--email", "blank@example.com", "--conversation-id", "   ");
        assertEquals(0, blank.status(), blank.err());
        assertEquals(null, app.leads().find(new ObjectMapper().readTree(blank.out()).get("id").asLong())
                .orElseThrow().conversationId(), "blank is none, as in the API");

        Result tooLong = run("lead", "add", "--chatbot", chatbot, "--email", "long@example.com",
                "--conversation-id", "x".repeat(129));
        assertEquals(2, tooLong.status(), tooLong.toString());
        assertEquals("", tooLong.out());
        assertEquals("error: conversationId must be at most 128 characters\n", tooLong.err());
        assertEquals(0, run("lead", "add", "--chatbot", chatbot, "--email", "max@example.com",
                "--conversation-id", "x".repeat(128)).status());
    }

    @Test
    void leadAddHelpNamesTheConversationId() {
        Result help = run("lead", "add", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("--conversation-id=ID"), help.out());
    }

    @Test
    void aMistypedOptionOrCommandGetsADidYouMean() {
        String chatbot = newChatbot();
        assertEquals("error: unknown option '--chatbt' for 'chatleads lead add'; did you mean '--chatbot'? (see --help)",
                usageError(run("lead", "add", "--chatbt", chatbot, "--email", "a@example.com")));
        assertTrue(usageError(run("owner", "create", "--emial", "a@example.com")).contains("did you mean '--email'?"));
        assertTrue(usageError(run("lead", "export", "--chatbot", chatbot, "--outptu", "x.csv")).contains("did you mean '--output'?"));
        assertTrue(usageError(run("lead", "import", "--chatbot", chatbot, "--skip-invalit", "x.csv"))
                .contains("unknown option '--skip-invalit' for 'chatleads lead import'; did you mean '--skip-invalid'?"));
        assertTrue(usageError(run("lead", "add", "--chatbot=" + chatbot, "--emai=a@example.com")).contains("did you mean '--email'?"),
                "an option written with =");
        assertEquals("error: unknown command 'ad' for 'chatleads lead'; did you mean 'add'? (see --help)",
                usageError(run("lead", "ad", "--chatbot", chatbot)));
        assertTrue(usageError(run("leed", "add")).contains("unknown command 'leed' for 'chatleads'; did you mean 'lead'?"));
        assertTrue(usageError(run("lead", "exprot", "--chatbot", chatbot)).contains("did you mean 'export'?"));
        // Nothing close: picocli's own words, which name what was wrong.
        String far = usageError(run("owner", "frobnicate"));
        assertTrue(far.contains("frobnicate") && !far.contains("did you mean"), far);
        String missing = usageError(run("lead", "add", "--email", "a@example.com"));
        assertTrue(missing.contains("--chatbot") && !missing.contains("did you mean"), missing);
        assertEquals(0, leadsOf(chatbot).size());
    }

    @Test
    void importFindsSemicolonAndTabSeparatedFiles() throws IOException {
        String chatbot = newChatbot();
        Path semicolons = Files.writeString(dir.resolve("excel-de.csv"),
                "Name;E-Mail;email;phone\n\"Lovelace; Ada\";x;ada@example.com;+1 415 555 0100\nGrace;y;grace@example.com;\n");
        Result imported = run("lead", "import", "--chatbot", chatbot, semicolons.toString());
        assertEquals(0, imported.status(), imported.toString());
        assertSummary("imported 2 leads", 2, imported.out());
        assertTrue(leadsOf(chatbot).stream().anyMatch(l -> "Lovelace; Ada".equals(l.name()) && "+14155550100".equals(l.phone())));

        Path tabs = Files.writeString(dir.resolve("tabs.tsv"), "email\tname\ntab@example.com\tTab, Person\n");
        Result tabbed = run("lead", "import", "--chatbot", chatbot, tabs.toString());
        assertSummary("imported 1 lead", 1, tabbed.out());
        assertTrue(leadsOf(chatbot).stream().anyMatch(l -> "Tab, Person".equals(l.name())));

        Path commas = Files.writeString(dir.resolve("commas.csv"), "email,name\nc@example.com,\"Semi; Colon\"\n");
        assertSummary("imported 1 lead", 1, run("lead", "import", "--chatbot", chatbot, commas.toString()).out());
        assertTrue(leadsOf(chatbot).stream().anyMatch(l -> "Semi; Colon".equals(l.name())), "commas win when the header has only commas");

        Path pipes = Files.writeString(dir.resolve("pipes.csv"), "email|name\npipe@example.com|Pipe\n");
        assertSummary("imported 1 lead", 1, run("lead", "import", "--chatbot", chatbot, "--delimiter", "|", pipes.toString()).out());
        assertEquals(5, leadsOf(chatbot).size());
    }

    @Test
    void aSeparatorThatLooksWrongIsSaidPlainlyWithTheOptionToSetIt() throws IOException {
        String chatbot = newChatbot();
        Path semicolons = Files.writeString(dir.resolve("semi.csv"), "name;email\nAda;ada@example.com\n");
        String wrong = usageError(run("lead", "import", "--chatbot", chatbot, "--delimiter", ",", semicolons.toString()));
        assertTrue(wrong.contains("must name an email or a phone column"), wrong);
        assertTrue(wrong.contains("it was read with ',' between columns, but the header row looks separated by ';'"), wrong);
        assertTrue(wrong.endsWith("the separator looks wrong; set it with --delimiter ';'"), wrong);
        Path tabs = Files.writeString(dir.resolve("tabs.csv"), "name\temail\nAda\tada@example.com\n");
        assertTrue(usageError(run("lead", "import", "--chatbot", chatbot, "--delimiter", ";", tabs.toString()))
                .endsWith("set it with --delimiter tab"));
        // A header that names no usable column whatever the separator: no guess about separators.
        Path other = Files.writeString(dir.resolve("other.csv"), "first,last\nA,B\n");
        String plain = usageError(run("lead", "import", "--chatbot", chatbot, other.toString()));
        assertTrue(plain.contains("email or a phone column") && !plain.contains("separator"), plain);
        assertTrue(usageError(run("lead", "import", "--chatbot", chatbot, "--delimiter", ";;", other.toString()))
                .contains("--delimiter must be one character"));
        Path jsonl = Files.writeString(dir.resolve("a.jsonl"), "{\"email\":\"j@example.com\"}\n");
        assertTrue(usageError(run("lead", "import", "--chatbot", chatbot, "--delimiter", ";", jsonl.toString()))
                .contains("--delimiter is for CSV"));
        assertEquals(0, leadsOf(chatbot).size());
    }

    @Test
    void aDashReadsStandardInputAndWritesStandardOutput() throws IOException {
        String chatbot = newChatbot();
        Result imported = withInput("email;name\nin@example.com;Standard In\n", "lead", "import", "--chatbot", chatbot, "-");
        assertEquals(0, imported.status(), imported.toString());
        assertSummary("imported 1 lead", 1, imported.out());
        Result jsonl = withInput("{\"email\":\"j@example.com\"}\n{\"email\":\"bad\"}\n", "lead", "import", "--chatbot", chatbot, "-");
        assertEquals("error: 1 invalid row in standard input; nothing imported (fix them, or use --skip-invalid to import the valid rows)\n",
                jsonl.err());
        assertFalse(Files.exists(Path.of("-")), "no file called -");

        Result exported = run("lead", "export", "--chatbot", chatbot, "--output", "-");
        assertEquals(0, exported.status(), exported.toString());
        assertTrue(exported.out().startsWith("id,created_at,"), exported.out());
        assertTrue(exported.out().contains("in@example.com,Standard In"), exported.out());
        assertSummary("exported 1 lead", 1, exported.err());
        assertFalse(Files.exists(Path.of("-")), "no file called -");
    }

    @Test
    void countsAreSingularForOne() throws IOException {
        String chatbot = newChatbot();
        Path two = Files.writeString(dir.resolve("two.csv"), "email\ngood@example.com\nbad\n");
        Result strict = run("lead", "import", "--chatbot", chatbot, two.toString());
        assertEquals("error: 1 invalid row in " + two + "; nothing imported (fix them, or use --skip-invalid to import the valid rows)\n",
                strict.err());
        Result skipping = run("lead", "import", "--chatbot", chatbot, "--skip-invalid", two.toString());
        assertSummary("imported 1 lead, skipped 1 invalid row", 2, skipping.out().lines().reduce((a, b) -> b).orElseThrow() + "\n");
        StringBuilder many = new StringBuilder("email\n");
        for (int i = 0; i < 101; i++) {
            many.append("bad").append(i).append('\n');
        }
        Result hundredAndOne = run("lead", "import", "--chatbot", chatbot, Files.writeString(dir.resolve("many.csv"), many).toString());
        assertTrue(hundredAndOne.out().endsWith("… and 1 more invalid row\n"), hundredAndOne.out());
        assertTrue(hundredAndOne.err().startsWith("error: 101 invalid rows in "), hundredAndOne.err());
    }

    @Test
    void completionPrintsABashScriptThatCompletesCommandsAndOptions() throws Exception {
        Result script = run("completion", "bash");
        assertEquals(0, script.status(), script.err());
        assertTrue(script.out().contains("complete -F _complete_chatleads"), "registers itself for the chatleads command");
        Path file = Files.writeString(dir.resolve("chatleads.bash"), script.out());
        assertEquals(List.of("add", "export", "import", "purge"), complete("bash", file, "chatleads lead "));
        assertEquals(List.of("--chatbot", "--conversation-id", "--created-at"), complete("bash", file, "chatleads lead add --c"));
        assertTrue(complete("bash", file, "chatleads comp").contains("completion"));
        assertEquals(script.out(), run("completion", "zsh").out(), "one script for both shells: it loads bashcompinit in zsh");
        assertEquals("error: completion is for bash or zsh, got 'fish'", usageError(run("completion", "fish")));
    }

    @Test
    void theCompletionScriptLoadsInZsh() throws Exception {
        Optional<Path> zsh = onPath("zsh");
        if (zsh.isEmpty()) {
            System.out.println("AbstractOperatorCliTest: zsh is not on PATH, so loading the script in zsh is not checked");
            org.junit.jupiter.api.Assumptions.abort("zsh is not on PATH");
        }
        Path file = Files.writeString(dir.resolve("chatleads.zsh"), run("completion", "zsh").out());
        Process process = new ProcessBuilder(zsh.get().toString(), "-c", "source " + file + " && complete -p chatleads")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("_complete_chatleads"), output);
    }

    /** What bash offers after {@code line}, through the script's completion function, as bash's completion would call it. */
    private static List<String> complete(String shell, Path script, String line) throws Exception {
        String[] words = line.endsWith(" ") ? (line + "''").split(" ") : line.split(" ");
        String program = "source " + script + "\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + String.join(" ", words) + ");"
                + " COMP_CWORD=" + (words.length - 1) + "\n"
                + "_complete_chatleads chatleads\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort -u\n";
        Process process = new ProcessBuilder(shell, "-c", program).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output.lines().map(String::strip).filter(w -> !w.isEmpty()).toList();
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, command)).filter(Files::isExecutable).findFirst();
    }

    @Test
    void exportToStandardOutputIsCleanCsvWithItsSummaryOnStandardErrorAndQuietSaysNothing() throws IOException {
        String chatbot = newChatbot();
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < 2_500; i++) {
            csv.append("p").append(i).append("@example.com,Person ").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("many.csv"), csv);
        Result quietImport = run("lead", "import", "--chatbot", chatbot, "--quiet", file.toString());
        assertEquals("", quietImport.err(), "--quiet: no progress");
        assertSummary("imported 2500 leads", 2_500, quietImport.out());

        Result exported = run("lead", "export", "--chatbot", chatbot);
        assertEquals(0, exported.status(), exported.err());
        List<String> lines = exported.out().lines().toList();
        assertEquals(2_501, lines.size());
        assertEquals("id,created_at,chatbot_owner_user_id,chatbot_id,phone,email,name", lines.get(0));
        assertTrue(lines.stream().skip(1).allMatch(line -> line.matches("\\d+,[^,]+,[^,]+,[^,]+,,p\\d+@example\\.com,Person \\d+")),
                "nothing but CSV on stdout");
        assertSummary("exported 2500 leads", 2_500, exported.err());

        Result quiet = run("lead", "export", "--chatbot", chatbot, "--quiet");
        assertEquals(exported.out().lines().count(), quiet.out().lines().count());
        assertEquals("", quiet.err());

        Path out = dir.resolve("out.csv");
        Result toFile = run("lead", "export", "--chatbot", chatbot, "--output", out.toString());
        assertEquals("", toFile.out());
        assertSummary("exported 2500 leads to " + out, 2_500, toFile.err());
        assertEquals(2_501, Files.readAllLines(out).size());
    }

    @Test
    void devSeedSaysHowManyOfEachAndTheRateOfLeads() {
        try (io.chatleads.support.TestDatabase empty = io.chatleads.support.TestDatabase.create(kind())) {
            Path keys = dir.resolve("seed-keys.txt");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = ChatleadsCommand.run(new String[]{"dev", "seed", "--owners", "1", "--chatbots", "2", "--leads", "1500",
                            "--keys-file", keys.toString(), "--quiet"}, empty::settings,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String printed = err.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, printed);
            assertTrue(printed.matches("seeded 1 owner, 2 chatbots, 1500 leads in \\d+\\.\\d s \\(leads: 1,500 rows in \\d+\\.\\d s, "
                    + "[\\d,]+ rows/s\\); keys in \\Q" + keys + "\\E\n"), printed);
        }
    }
}
