package io.chatleads.lead;

import io.chatleads.Timestamps;
import io.chatleads.http.ResponseStream;
import io.vertx.ext.web.RoutingContext;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A chatbot's leads in a date range as RFC 4180 CSV, newest first, the seven get-leads columns.
 * Read in keyset chunks and written as they come, so memory stays flat whatever the range holds.
 */
public final class LeadCsvExport {

    static final String[] HEADER = {"id", "created_at", "chatbot_owner_user_id", "chatbot_id", "phone", "email", "name"};
    private static final int CHUNK = 1000;
    // Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection");
    // tab and carriage return are included because some spreadsheets strip them and then do the same.
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private final LeadRepository leads;

    public LeadCsvExport(LeadRepository leads) {
        this.leads = leads;
    }

    /**
     * Whether an Accept header prefers CSV to the JSON page: text/csv is listed with a weight above
     * zero and above application/json's. JSON, the default, wins a tie, so a JSON client that also
     * lists text/csv keeps getting its page. Wildcards do not count against text/csv, which is more
     * specific.
     */
    public static boolean wanted(String accept) {
        if (accept == null) {
            return false;
        }
        double csv = 0;
        double json = -1;
        for (String range : accept.split(",")) {
            // -1: a range of only separators (";;") is still one empty part, never no part at all.
            String[] parts = range.split(";", -1);
            String type = parts[0].strip();
            if (type.equalsIgnoreCase("text/csv")) {
                csv = Math.max(csv, weight(parts));
            } else if (type.equalsIgnoreCase("application/json")) {
                json = Math.max(json, weight(parts));
            }
        }
        return csv > 0 && csv > json;
    }

    /** A media range's q parameter, 0 to 1; 1 when absent or malformed, as if the parameter were not there. */
    private static double weight(String[] rangeAndParameters) {
        for (int i = 1; i < rangeAndParameters.length; i++) {
            String param = rangeAndParameters[i].strip();
            if (param.matches("[qQ]=(0(\\.\\d{0,3})?|1(\\.0{0,3})?)")) {
                return Double.parseDouble(param.substring(2));
            }
        }
        return 1;
    }

    /** Streams the range as the response body, named as a download. */
    public void respond(RoutingContext ctx, String chatbotId, String ownerId, long fromMillis, long toMillis,
                        long idleTimeoutSeconds) throws IOException {
        ctx.response().setStatusCode(200)
                .putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"leads-" + chatbotId.replaceAll("[^A-Za-z0-9_-]", "_") + ".csv\"");
        try (ResponseStream out = new ResponseStream(ctx.response(), idleTimeoutSeconds)) {
            write(out, chatbotId, ownerId, fromMillis, toMillis);
        }
    }

    public void write(OutputStream out, String chatbotId, String ownerId, long fromMillis, long toMillis) throws IOException {
        write(out, chatbotId, ownerId, fromMillis, toMillis, rows -> { });
    }

    /** As {@link #write(OutputStream, String, String, long, long)}, telling {@code rowsDone} the leads written so far after each chunk. */
    public void write(OutputStream out, String chatbotId, String ownerId, long fromMillis, long toMillis,
                      LongConsumer rowsDone) throws IOException {
        long written = 0;
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180);
        printer.printRecord((Object[]) HEADER);
        Lead last = null;
        while (true) {
            List<Lead> chunk = leads.rangeAfter(chatbotId, ownerId, fromMillis, toMillis, last, CHUNK);
            for (Lead lead : chunk) {
                printer.printRecord(lead.id(), Timestamps.format(lead.createdAt()), guard(lead.ownerId()),
                        guard(lead.chatbotId()), guard(lead.phone()), guard(lead.email()), guard(lead.name()));
            }
            written += chunk.size();
            rowsDone.accept(written);
            if (chunk.size() < CHUNK) {
                break;
            }
            last = chunk.get(chunk.size() - 1);
        }
        printer.flush();
    }

    /** A leading apostrophe makes spreadsheets show the cell as text; null becomes an empty cell. */
    static String guard(String cell) {
        if (cell == null) {
            return "";
        }
        return !cell.isEmpty() && FORMULA_STARTS.indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }
}
