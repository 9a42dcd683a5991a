package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.LeadImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

@Command(name = "import", description = "Import leads from a CSV file (header: name, email, phone, created_at) "
        + "or JSON Lines. A bad row imports nothing unless --skip-invalid.")
final class LeadImportCommand implements Runnable {

    @ParentCommand
    LeadCommand parent;

    @Option(names = "--chatbot", required = true, paramLabel = "CHATBOT_ID")
    String chatbotId;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--skip-invalid", description = "Import the valid rows and report the others.")
    boolean skipInvalid;

    @Option(names = "--emit-events", description = "Fire lead-created events (webhooks) for imported leads; slower.")
    boolean emitEvents;

    @Option(names = "--format", paramLabel = "csv|jsonl", description = "Default: guessed from the content.")
    String format;

    @Override
    public void run() {
        PrintStream out = parent.root.out;
        try (BufferedReader input = open(); Chatleads app = parent.root.open()) {
            Chatbot chatbot = Commands.requireChatbot(app, chatbotId);
            LeadImport.Format chosen = format == null ? LeadImport.sniff(input) : format();
            LeadImport.Result result = new LeadImport(app.database().jdbi(), app.leads(), app.clock())
                    .run(chatbot, Commands.defaultRegion(app, chatbot), input, chosen, skipInvalid, emitEvents);
            for (LeadImport.Problem problem : result.problems()) {
                out.println("line " + problem.line() + ": " + problem.reason());
            }
            if (result.invalid() > result.problems().size()) {
                out.println("… and " + (result.invalid() - result.problems().size()) + " more invalid rows");
            }
            if (!result.committed()) {
                throw new CliException(result.invalid() + " invalid row(s) in " + file
                        + "; nothing imported (fix them, or use --skip-invalid to import the valid rows)");
            }
            out.println("imported " + result.imported() + " leads" + (result.invalid() > 0
                    ? ", skipped " + result.invalid() + " invalid rows" : ""));
        } catch (LeadImport.FileException e) {
            throw new CliException(file + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            if (notUtf8(e)) {
                // The decoder's own message is only "Input length = 1".
                throw new CliException("cannot read " + file + ": it is not UTF-8 text; save it as UTF-8 and import again");
            }
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
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
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
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
