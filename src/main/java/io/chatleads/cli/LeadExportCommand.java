package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.lead.LeadCsvExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "export", description = "Write a chatbot's leads as CSV, newest first, as GET get-leads with Accept: text/csv.")
final class LeadExportCommand implements Runnable {

    @ParentCommand
    LeadCommand parent;

    @Option(names = "--chatbot", required = true, paramLabel = "CHATBOT_ID")
    String chatbotId;

    @Option(names = "--start-date", paramLabel = "YYYY-MM-DD", description = "First day (UTC), inclusive.")
    String startDate;

    @Option(names = "--end-date", paramLabel = "YYYY-MM-DD", description = "Last day (UTC), inclusive.")
    String endDate;

    @Option(names = "--output", paramLabel = "FILE", description = "Default (and -): standard output.")
    Path output;

    @Option(names = "--quiet", description = "No progress and no summary on stderr.")
    boolean quiet;

    @Override
    public void run() {
        if (output != null && output.toString().equals("-")) {
            output = null;
        }
        LocalDate start = date("--start-date", startDate);
        LocalDate end = date("--end-date", endDate);
        if (start != null && end != null && start.isAfter(end)) {
            throw new CliException("--start-date " + start + " is after --end-date " + end);
        }
        Path directory = output == null ? null : output.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            // Checked first: the temporary file's error would name only that file.
            throw new CliException("cannot write " + output + ": directory " + directory + " does not exist");
        }
        long from = start == null ? Long.MIN_VALUE : start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = end == null ? Long.MAX_VALUE : end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
        try (Chatleads app = parent.root.open()) {
            String ownerId = Commands.requireChatbot(app, chatbotId).ownerId();
            LeadCsvExport export = new LeadCsvExport(app.leads());
            AtomicLong rows = new AtomicLong();
            // On stderr only: stdout may be the CSV itself.
            String rate;
            try (Progress progress = Progress.start(parent.root, quiet, "exporting", rows::get, -1, null)) {
                if (output == null) {
                    export.write(parent.root.out, chatbotId, ownerId, from, to, rows::set);
                    parent.root.out.flush();
                } else {
                    // Written beside the target and moved into place, so a failed export leaves no half file.
                    Path absolute = output.toAbsolutePath();
                    Path partial = Files.createTempFile(directory, ".leads-export", ".csv.part");
                    try {
                        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                            export.write(out, chatbotId, ownerId, from, to, rows::set);
                        }
                        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(partial);
                    }
                }
                rate = progress.summary();
            }
            if (!quiet) {
                parent.root.err.println("exported " + Plural.of(rows.get(), "lead") + (output == null ? "" : " to " + output)
                        + " (" + rate + ")");
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + output + ": " + e.getMessage());
        }
    }

    private static LocalDate date(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CliException(option + " must be a date in YYYY-MM-DD format, got '" + value + "'");
        }
    }
}
