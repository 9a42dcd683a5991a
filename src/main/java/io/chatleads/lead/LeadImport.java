package io.chatleads.lead;

import io.chatleads.error.InvalidInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.http.StorableText;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Imports a CSV (header row: name, email, phone, created_at in any order, other columns ignored)
 * or JSON Lines file into one chatbot. Rows are validated like API submissions and stored in
 * batches inside one transaction: a file with a bad row imports nothing unless {@code skipInvalid},
 * and a failure half-way leaves nothing behind either.
 */
public final class LeadImport {

    public enum Format { CSV, JSON_LINES }

    /** A rejected row, by its 1-based line number in the file. */
    public record Problem(long line, String reason) {
    }

    /** What the import did; {@code problems} lists at most {@link #MAX_REPORTED} of the {@code invalid} rows. */
    public record Result(long imported, long invalid, List<Problem> problems, boolean committed) {
    }

    /** The file itself is unusable (no usable header, unreadable); nothing was imported. */
    public static final class FileException extends RuntimeException {
        private final Character likelyDelimiter;

        public FileException(String message) {
            this(message, null);
        }

        FileException(String message, Character likelyDelimiter) {
            super(message, null, false, false);
            this.likelyDelimiter = likelyDelimiter;
        }

        /** The separator the header row seems to use when it was read with another one; otherwise null. */
        public Character likelyDelimiter() {
            return likelyDelimiter;
        }
    }

    /** The separators {@link #sniffDelimiter} recognises, in the order it prefers them on a tie. */
    public static final String DELIMITERS = ",;\t";

    public static final int MAX_REPORTED = 100;
    static final int BATCH = 1000;
    private static final Set<String> COLUMNS = Set.of("name", "email", "phone", "created_at", "conversation_id");
    // A line is one JSON value: without this, a second object on the same line was silently dropped.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Jdbi jdbi;
    private final LeadRepository leads;
    private final Clock clock;

    public LeadImport(Jdbi jdbi, LeadRepository leads, Clock clock) {
        this.jdbi = jdbi;
        this.leads = leads;
        this.clock = clock;
    }

    /** Guesses the format from the first non-blank character: '{' is JSON Lines, anything else CSV. */
    public static Format sniff(BufferedReader input) throws IOException {
        input.mark(64 * 1024);
        int c;
        do {
            c = input.read();
        } while (c != -1 && (Character.isWhitespace(c) || c == '\uFEFF'));
        input.reset();
        return c == '{' ? Format.JSON_LINES : Format.CSV;
    }

    /**
     * The separator of a CSV file: whichever of {@code ,} {@code ;} and tab its header row holds
     * most of outside quotes, and {@code ,} when it holds none. Spreadsheet programs write {@code ;}
     * in many European locales (where {@code ,} is the decimal mark), and tab for "text" exports.
     */
    public static char sniffDelimiter(BufferedReader input) throws IOException {
        int limit = 64 * 1024;
        input.mark(limit);
        StringBuilder header = new StringBuilder();
        int c;
        int read = 0;
        // The first line that is not blank, within the mark's reach.
        while (read++ < limit - 1 && (c = input.read()) != -1) {
            if (c == '\n' || c == '\r') {
                if (!header.toString().isBlank()) {
                    break;
                }
                header.setLength(0);
            } else {
                header.append((char) c);
            }
        }
        input.reset();
        return mostFrequent(header);
    }

    private static char mostFrequent(CharSequence line) {
        int[] counts = new int[DELIMITERS.length()];
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && DELIMITERS.indexOf(c) >= 0) {
                counts[DELIMITERS.indexOf(c)]++;
            }
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return DELIMITERS.charAt(best);
    }

    /**
     * @param delimiter  the CSV column separator ({@link #sniffDelimiter} guesses it); unused for JSON Lines
     * @param emitEvents whether lead-created listeners (webhooks) run for each imported lead; off,
     *                   rows go in as plain batches, which is what makes large imports fast
     * @param rowsDone   told the number of rows checked (and stored, where they are) so far, after each chunk
     */
    public Result run(Chatbot chatbot, String defaultRegion, BufferedReader input, Format format, char delimiter,
                      boolean skipInvalid, boolean emitEvents, LongConsumer rowsDone) throws IOException {
        Instant now = clock.instant();
        try {
            return jdbi.inTransaction(handle -> {
                Result result;
                try (Importer importer = new Importer(handle, chatbot, defaultRegion, now, skipInvalid, emitEvents, rowsDone)) {
                    if (format == Format.CSV) {
                        readCsv(input, delimiter, importer);
                    } else {
                        readJsonLines(input, importer);
                    }
                    importer.finish();
                    result = importer.result();
                }
                if (!result.committed()) {
                    throw new RolledBack(result);
                }
                return result;
            });
        } catch (RolledBack e) {
            return e.result;
        }
    }

    /** A row as read, before validation; {@code error} when it is unusable before any field rule runs. */
    private record RawRow(long line, String name, String email, String phone, String createdAt,
                          String conversationId, String error) {
    }

    /** One validated row: a lead or the reason it has none. */
    private record Checked(long line, NewLead lead, String problem) {
    }

    /**
     * Validation (libphonenumber above all) costs more than storing a row, so chunks of rows are
     * validated on a small pool while this thread reads the file and stores earlier chunks in order.
     * At most a few chunks are in flight, which keeps memory bounded whatever the file's size.
     */
    private final class Importer implements AutoCloseable {
        private final Handle handle;
        private final Chatbot chatbot;
        private final String defaultRegion;
        private final Instant now;
        private final boolean skipInvalid;
        private final boolean emitEvents;
        private final ExecutorService validators;
        private final int maxInFlight;
        private final ArrayDeque<Future<List<Checked>>> inFlight = new ArrayDeque<>();
        private List<RawRow> pending = new ArrayList<>(BATCH);
        private final List<Problem> problems = new ArrayList<>();
        /** Without events on PostgreSQL, one COPY for the whole file, opened with the first rows to store. */
        private final boolean streamCopy;
        private PostgresCopy.Stream copy;
        private long imported;
        private long invalid;
        private final LongConsumer rowsDone;
        private long rowsChecked;

        Importer(Handle handle, Chatbot chatbot, String defaultRegion, Instant now, boolean skipInvalid, boolean emitEvents,
                 LongConsumer rowsDone) {
            this.handle = handle;
            this.rowsDone = rowsDone;
            this.chatbot = chatbot;
            this.defaultRegion = defaultRegion;
            this.now = now;
            this.skipInvalid = skipInvalid;
            this.emitEvents = emitEvents;
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            this.validators = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "lead-import-validator");
                thread.setDaemon(true);
                return thread;
            });
            this.maxInFlight = threads * 2;
            // insertAll would COPY each batch too (listeners only run with emitEvents), but one COPY
            // per batch makes this thread wait for PostgreSQL after every batch.
            this.streamCopy = !emitEvents && PostgresCopy.supports(handle);
        }

        void row(long line, String name, String email, String phone, String createdAt, String conversationId) {
            add(new RawRow(line, name, email, phone, createdAt, conversationId, null));
        }

        void problem(long line, String reason) {
            add(new RawRow(line, null, null, null, null, null, reason));
        }

        private void add(RawRow row) {
            pending.add(row);
            if (pending.size() >= BATCH) {
                submit();
            }
        }

        private void submit() {
            if (pending.isEmpty()) {
                return;
            }
            List<RawRow> chunk = pending;
            pending = new ArrayList<>(BATCH);
            inFlight.add(validators.submit(() -> chunk.stream().map(this::check).toList()));
            while (inFlight.size() > maxInFlight) {
                store(inFlight.poll());
            }
        }

        void finish() {
            submit();
            while (!inFlight.isEmpty()) {
                store(inFlight.poll());
            }
            if (copy != null && (invalid == 0 || skipInvalid)) {
                long stored = copy.finish();
                if (stored != imported) {
                    throw new IllegalStateException("COPY stored " + stored + " leads, expected " + imported);
                }
            }
        }

        private Checked check(RawRow row) {
            if (row.error() != null) {
                return new Checked(row.line(), null, row.error());
            }
            try {
                // An API body's text is checked as JsonBody reads it; a file's rows only here.
                LeadValidator.Submission submission = new LeadValidator.Submission(
                        StorableText.require("name", row.name()), StorableText.require("email", row.email()),
                        StorableText.require("phone", row.phone()),
                        StorableText.require("conversationId", row.conversationId()));
                return new Checked(row.line(), LeadValidator.validate(chatbot.id(), chatbot.ownerId(), submission,
                        defaultRegion, createdAt(row.createdAt())), null);
            } catch (InvalidInput e) {
                return new Checked(row.line(), null, e.getMessage());
            }
        }

        private void store(Future<List<Checked>> future) {
            List<Checked> checked;
            try {
                checked = future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("import interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("validating rows failed: " + e.getCause(), e.getCause());
            }
            rowsChecked += checked.size();
            rowsDone.accept(rowsChecked);
            List<NewLead> batch = new ArrayList<>(checked.size());
            for (Checked row : checked) {
                if (row.problem() != null) {
                    invalid++;
                    if (problems.size() < MAX_REPORTED) {
                        problems.add(new Problem(row.line(), row.problem()));
                    }
                } else {
                    batch.add(row.lead());
                }
            }
            // Once a row is bad and bad rows are fatal, the rest is only checked, never stored; the
            // COPY is abandoned at once (the transaction will roll back).
            if (invalid > 0 && !skipInvalid) {
                if (copy != null) {
                    copy.close();
                }
                return;
            }
            if (streamCopy) {
                if (copy == null && !batch.isEmpty()) {
                    copy = PostgresCopy.open(handle);
                }
                if (copy != null) {
                    copy.write(batch);
                }
            } else {
                leads.insertAll(handle, batch, emitEvents);
            }
            imported += batch.size();
        }

        Result result() {
            boolean commit = invalid == 0 || skipInvalid;
            return new Result(commit ? imported : 0, invalid, List.copyOf(problems), commit);
        }

        @Override
        public void close() {
            validators.shutdownNow();
            if (copy != null) {
                copy.close();
            }
        }

        private Instant createdAt(String raw) {
            if (raw == null || raw.isBlank()) {
                return now;
            }
            return LeadValidator.createdAt("created_at", raw);
        }
    }

    private static void readCsv(BufferedReader input, char delimiter, Importer importer) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setHeader()
                .setSkipHeaderRecord(true)
                // Blank lines are skipped below rather than by the parser, which keeps line numbers exact.
                .setIgnoreEmptyLines(false)
                .setAllowMissingColumnNames(true)
                .get();
        CSVParser parser;
        try {
            parser = CSVParser.builder().setReader(input).setFormat(format).get();
        } catch (IllegalArgumentException | UncheckedIOException | CSVException e) {
            // CSVException: a header row that is not CSV (text after a closing quote); any other
            // IOException is the file's own (not UTF-8, unreadable) and the command says so.
            throw new FileException("cannot read the CSV header row: " + e.getMessage());
        }
        Map<String, Integer> columns = new TreeMap<>();
        parser.getHeaderMap().forEach((header, index) -> {
            String name = header == null ? "" : header.strip().replace('\uFEFF', ' ').strip().toLowerCase(Locale.ROOT);
            if (COLUMNS.contains(name)) {
                if (columns.putIfAbsent(name, index) != null) {
                    throw new FileException("the CSV header names column '" + name + "' twice");
                }
            }
        });
        if (!columns.containsKey("email") && !columns.containsKey("phone")) {
            String message = "the CSV header row must name an email or a phone column (columns: name, email, phone, created_at)";
            // A header read with the wrong separator is one column holding the others' separators.
            char seems = mostFrequent(String.join("", parser.getHeaderNames()));
            boolean wrong = seems != delimiter && parser.getHeaderNames().stream().anyMatch(h -> h.indexOf(seems) >= 0);
            throw wrong
                    ? new FileException(message + "; it was read with " + describe(delimiter) + " between columns, but the header row"
                            + " looks separated by " + describe(seems), seems)
                    : new FileException(message);
        }
        long linesBefore = parser.getCurrentLineNumber();
        Iterator<CSVRecord> records = parser.iterator();
        while (true) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    break;
                }
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw new FileException("cannot parse the CSV after line " + linesBefore + ": " + rootMessage(e));
            }
            long line = linesBefore + 1;
            linesBefore = parser.getCurrentLineNumber();
            if (record.size() == 1 && record.get(0).isBlank()) {
                continue;
            }
            importer.row(line, cell(record, columns, "name"), cell(record, columns, "email"),
                    cell(record, columns, "phone"), cell(record, columns, "created_at"),
                    cell(record, columns, "conversation_id"));
        }
    }

    /** A separator as a message names it: tab spelled out, the others quoted. */
    public static String describe(char delimiter) {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }

    private static String cell(CSVRecord record, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        return index == null || index >= record.size() ? null : record.get(index);
    }

    private static void readJsonLines(BufferedReader input, Importer importer) throws IOException {
        long line = 0;
        String text;
        while ((text = input.readLine()) != null) {
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte order mark, as the CSV reader and sniff() skip it
            }
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                importer.problem(line, "not valid JSON: " + e.getOriginalMessage());
                continue;
            }
            if (node == null || !node.isObject()) {
                importer.problem(line, "not a JSON object");
                continue;
            }
            String[] values = new String[5];
            String[] names = {"name", "email", "phone", "created_at", "conversation_id"};
            boolean ok = true;
            for (int i = 0; i < names.length && ok; i++) {
                JsonNode value = node.get(names[i]);
                if (value != null && !value.isNull()) {
                    if (!value.isTextual()) {
                        importer.problem(line, names[i] + " must be a string");
                        ok = false;
                    } else {
                        values[i] = value.textValue();
                    }
                }
            }
            if (ok) {
                importer.row(line, values[0], values[1], values[2], values[3], values[4]);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
    }

    /** Carries the result out of a transaction that must roll back. */
    private static final class RolledBack extends RuntimeException {
        final Result result;

        RolledBack(Result result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
