package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.LeadImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "import", description = "Import leads from a CSV file (header: name, email, phone, created_at, "
        + "conversation_id; separated by commas, semicolons or tabs) or JSON Lines; FILE - reads standard input. "
        + "A bad row imports nothing unless --skip-invalid.")
final class LeadImportCommand implements Runnable {

    @ParentCommand
    LeadCommand parent;

    @Option(names = "--chatbot", required = true, paramLabel = "CHATBOT_ID")
    String chatbotId;

    @Parameters(paramLabel = "FILE", description = "The file, or - for standard input.")
    Path file;

    @Option(names = "--skip-invalid", description = "Import the valid rows and report the others.")
    boolean skipInvalid;

    @Option(names = "--emit-events", description = "Fire lead-created events (webhooks) for imported leads; slower.")
    boolean emitEvents;

    @Option(names = "--format", paramLabel = "csv|jsonl", description = "Default: guessed from the content.")
    String format;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "The CSV column separator: , or ; or tab "
            + "(or any one character). Default: whichever of the three the header row holds most of.")
    String delimiter;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    /** Bytes of the file read so far, for the estimate of time left. */
    private final AtomicLong bytesRead = new AtomicLong();

    @Override
    public void run() {
        PrintStream out = parent.root.out;
        try (BufferedReader input = open(); Chatleads app = parent.root.open()) {
            Chatbot chatbot = Commands.requireChatbot(app, chatbotId);
            LeadImport.Format chosen = format == null ? LeadImport.sniff(input) : format();
            Character given = delimiter();
            if (given != null && chosen != LeadImport.Format.CSV) {
                throw new CliException("--delimiter is for CSV, and " + name() + " is JSON Lines");
            }
            char separator = given != null ? given : chosen == LeadImport.Format.CSV ? LeadImport.sniffDelimiter(input) : ',';
            AtomicLong rows = new AtomicLong();
            long size = fromStdin() ? 0 : Files.size(file);
            LeadImport.Result result;
            String rate;
            try (Progress progress = Progress.start(parent.root, quiet, "importing", rows::get, -1,
                    size > 0 ? () -> (double) bytesRead.get() / size : null)) {
                result = new LeadImport(app.database().jdbi(), app.leads(), app.clock())
                        .run(chatbot, Commands.defaultRegion(app, chatbot), input, chosen, separator, skipInvalid, emitEvents, rows::set);
                rate = progress.summary();
            }
            for (LeadImport.Problem problem : result.problems()) {
                out.println("line " + problem.line() + ": " + problem.reason());
            }
            if (result.invalid() > result.problems().size()) {
                out.println("… and " + Plural.of(result.invalid() - result.problems().size(), "more invalid row"));
            }
            if (!result.committed()) {
                throw new CliException(Plural.of(result.invalid(), "invalid row") + " in " + name()
                        + "; nothing imported (fix them, or use --skip-invalid to import the valid rows)");
            }
            out.println("imported " + Plural.of(result.imported(), "lead") + (result.invalid() > 0
                    ? ", skipped " + Plural.of(result.invalid(), "invalid row") : "") + " (" + rate + ")");
        } catch (LeadImport.FileException e) {
            Character likely = e.likelyDelimiter();
            throw new CliException(name() + ": " + e.getMessage() + (likely == null ? ""
                    : ": the separator looks wrong; set it with --delimiter " + LeadImport.describe(likely)));
        } catch (IOException | UncheckedIOException e) {
            if (notUtf8(e)) {
                // The decoder's own message is only "Input length = 1".
                throw new CliException("cannot read " + name() + ": it is not UTF-8 text; save it as UTF-8 and import again");
            }
            throw new CliException("cannot read " + name() + ": " + e.getMessage());
        }
    }

    private boolean fromStdin() {
        return file.toString().equals("-");
    }

    /** The file as messages name it. */
    private String name() {
        return fromStdin() ? "standard input" : file.toString();
    }

    /** --delimiter as a character: one character, or "tab" (a tab is awkward to type in a shell). */
    private Character delimiter() {
        if (delimiter == null) {
            return null;
        }
        if (delimiter.equalsIgnoreCase("tab") || delimiter.equals("\\t")) {
            return '\t';
        }
        if (delimiter.length() != 1 || delimiter.equals("\"") || delimiter.equals("\n") || delimiter.equals("\r")) {
            throw new CliException("--delimiter must be one character such as , or ; or the word tab, got '" + delimiter + "'");
        }
        return delimiter.charAt(0);
    }

    private static boolean notUtf8(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CharacterCodingException) {
                return true;
            }
        }
        return false;
    }

    private BufferedReader open() throws IOException {
        // A decoder that reports malformed input, as Files.newBufferedReader's does: never a silent U+FFFD.
        if (fromStdin()) {
            return new BufferedReader(new InputStreamReader(parent.root.in, StandardCharsets.UTF_8.newDecoder()));
        }
        try {
            InputStream counted = new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        bytesRead.addAndGet(n);
                    }
                    return n;
                }
            };
            return new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()));
        } catch (NoSuchFileException e) {
            throw new CliException("file " + file + " not found");
        }
    }

    private LeadImport.Format format() {
        return switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> LeadImport.Format.CSV;
            case "jsonl", "ndjson" -> LeadImport.Format.JSON_LINES;
            default -> throw new CliException("--format must be csv or jsonl, got '" + format + "'");
        };
    }
}
