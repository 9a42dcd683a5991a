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

    @Option(names = "--output", paramLabel = "FILE", description = "Default: standard output.")
    Path output;

    @Override
    public void run() {
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
            if (output == null) {
                export.write(parent.root.out, chatbotId, ownerId, from, to);
                parent.root.out.flush();
                return;
            }
            // Written beside the target and moved into place, so a failed export leaves no half file.
            Path absolute = output.toAbsolutePath();
            Path partial = Files.createTempFile(directory, ".leads-export", ".csv.part");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                    export.write(out, chatbotId, ownerId, from, to);
                }
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
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
