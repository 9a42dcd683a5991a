package io.chatleads;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.error.DomainException;
import io.chatleads.lead.LeadCursor;
import io.chatleads.lead.LeadImport;
import io.chatleads.owner.Owner;
import io.chatleads.support.RawHttp;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzz targets (Jazzer) for every parser that takes outside input: get-leads' query parameters
 * (the cursor among them), the JSON bodies of capture and of the API, the Accept and Host headers,
 * each sent as raw bytes to a real server on a real SQLite file; the cursor on its own; and the rows
 * of a CSV or JSON Lines import into that database. Each asserts only that an input gives a value or
 * a typed error: an HTTP answer below 500 whose 4xx carries a JSON {"message"}, or a
 * {@code io.chatleads.error} type (for imports also {@link LeadImport.FileException}, the import's own
 * "this file cannot be read"). Never another exception, a 5xx or a hang.
 *
 * <p>In {@code mvn verify} the targets run in Jazzer's regression mode: every seed in
 * {@code src/test/resources/io/chatleads/HostileInputFuzzTestInputs/<target>/} (found crashes are
 * kept there), in well under a second each. Fuzzing is by hand, one target per run (README
 * "Testing"): {@code JAZZER_FUZZ=1 mvn test -Dtest='HostileInputFuzzTest#importRows'}, for the
 * {@code maxDuration} below unless {@code JAZZER_MAX_DURATION} says otherwise.
 */
class HostileInputFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // The whole HTTP exchange; a server that takes longer on one input has hung on it.
    private static final int ANSWER_TIMEOUT_MS = 10_000;

    private static TestDatabase database;
    private static TestServer server;
    private static Chatbot chatbot;
    // Another chatbot of the same owner, for bodies that change settings: the capture target keeps its own.
    private static Chatbot changed;
    private static String secret;

    @BeforeAll
    static void start() {
        database = TestDatabase.create(TestDatabase.Kind.SQLITE);
        server = TestServer.start(database);
        Chatleads app = server.app();
        Owner owner = app.owners().create("fuzz@example.com");
        chatbot = app.chatbots().create(owner.id(), "fuzzed");
        changed = app.chatbots().create(owner.id(), "changed by fuzzed bodies");
        secret = app.apiKeys().create(owner.id(), "fuzz").secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** The input is get-leads' query after a valid chatbotId: raw, but for bytes a request line cannot hold. */
    @FuzzTest(maxDuration = "30s")
    void getLeadsQuery(byte[] input) throws IOException {
        String target = "/api/v1/get-leads?chatbotId=" + chatbot.id() + "&" + requestTargetSafe(input);
        assertTypedAnswer(exchange("GET " + target, Map.of("Authorization", "Bearer " + secret), null));
    }

    /**
     * The input is a capture's JSON body: a widget's (no key), or a backend's with the key when the
     * input starts with {@code key:}.
     */
    @FuzzTest(maxDuration = "30s")
    void captureBody(byte[] input) throws IOException {
        boolean keyed = startsWith(input, "key:");
        byte[] body = keyed ? java.util.Arrays.copyOfRange(input, 4, input.length) : input;
        Map<String, String> headers = keyed
                ? Map.of("Content-Type", "application/json", "Authorization", "Bearer " + secret)
                : Map.of("Content-Type", "application/json", "Origin", "https://fuzz.example.com");
        assertTypedAnswer(exchange("POST /api/v1/chatbots/" + chatbot.id() + "/leads", headers, body));
    }

    /**
     * The input's first line names the API call (create-chatbot, update-chatbot-settings,
     * widget-settings, get-leads, api-keys), the rest is its JSON body; {@code $CHATBOT} in it
     * stands for a chatbot of the key's owner.
     */
    @FuzzTest(maxDuration = "30s")
    void apiJsonBody(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String call = newline < 0 ? text : text.substring(0, newline);
        byte[] body = (newline < 0 ? "" : text.substring(newline + 1)).replace("$CHATBOT", changed.id())
                .getBytes(StandardCharsets.UTF_8);
        String requestLine = switch (call.strip()) {
            case "update-chatbot-settings" -> "POST /api/v1/update-chatbot-settings";
            case "widget-settings" -> "PUT /api/v1/chatbots/" + changed.id() + "/widget-settings";
            // get-leads takes its parameters from a JSON body too ("request body parameters").
            case "get-leads" -> "GET /api/v1/get-leads";
            case "api-keys" -> "POST /api/v1/api-keys";
            default -> "POST /api/v1/create-chatbot";
        };
        assertTypedAnswer(exchange(requestLine,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + secret), body));
    }

    /** The input's first line is the Accept header, its second the Host header, of a get-leads call. */
    @FuzzTest(maxDuration = "30s")
    void acceptAndHostHeaders(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", 3);
        String accept = headerSafe(lines[0]);
        String host = lines.length > 1 ? headerSafe(lines[1]) : "127.0.0.1";
        assertTypedAnswer(exchange("GET /api/v1/get-leads?chatbotId=" + chatbot.id(),
                Map.of("Authorization", "Bearer " + secret, "Accept", accept, "Host", host), null));
    }

    /** The input is a cursor as a client may send it back. */
    @FuzzTest(maxDuration = "10s")
    void cursor(byte[] input) {
        String value = new String(input, StandardCharsets.UTF_8);
        try {
            LeadCursor cursor = LeadCursor.decode(value);
            assertEquals(cursor, LeadCursor.decode(cursor.encode()), "a cursor read is one this server could write");
        } catch (DomainException typed) {
            assertTrue(typed.getMessage() != null && typed.getMessage().contains("cursor"), typed.getMessage());
        }
    }

    /** The input is a whole import file, CSV or JSON Lines as the command sniffs it, with --skip-invalid. */
    @FuzzTest(maxDuration = "30s")
    void importRows(byte[] input) throws IOException {
        Chatleads app = server.app();
        BufferedReader reader = new BufferedReader(new StringReader(new String(input, StandardCharsets.UTF_8)));
        try {
            LeadImport.Format format = LeadImport.sniff(reader);
            char delimiter = format == LeadImport.Format.CSV ? LeadImport.sniffDelimiter(reader) : ',';
            LeadImport.Result result = new LeadImport(app.database().jdbi(), app.leads(), app.clock())
                    .run(chatbot, null, reader, format, delimiter, true, false, rows -> { });
            assertTrue(result.imported() >= 0 && result.invalid() >= result.problems().size(), result.toString());
            for (LeadImport.Problem problem : result.problems()) {
                assertTrue(problem.reason() != null && !problem.reason().isBlank(), "a problem says what is wrong");
            }
        } catch (LeadImport.FileException | DomainException typed) {
            assertTrue(typed.getMessage() != null && !typed.getMessage().isBlank(), "a typed error says what is wrong");
        }
    }

    // --- the exchange ---

    private record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return status + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One request on a connection of its own, as raw bytes; the answer read off the socket. */
    private static Answer exchange(String requestLine, Map<String, String> headers, byte[] body) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((requestLine + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (!headers.containsKey("Host")) {
            request.writeBytes(("Host: 127.0.0.1:" + server.port() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        headers.forEach((name, value) -> request.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        if (body != null) {
            request.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        request.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.writeBytes(body);
        }
        // Jazzer's SSRF detector reports every connection while fuzzing; this one is the test's own server.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(
                (host, port) -> port == server.port() && ("127.0.0.1".equals(host) || "localhost".equals(host)));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(ANSWER_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = RawHttp.line(in);
            String[] parts = statusLine.split(" ", 3);
            assertTrue(parts.length >= 2 && parts[0].equals("HTTP/1.1"), "a status line: " + statusLine);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> answerHeaders = RawHttp.headers(in);
            return new Answer(status, answerHeaders, RawHttp.body(in, answerHeaders));
        }
    }

    /** Below 500; a 4xx is JSON with a message; a JSON 2xx parses. */
    private static void assertTypedAnswer(Answer answer) {
        if (answer.status() >= 500) {
            fail("a server error for client input: " + answer.text());
        }
        String type = answer.headers().getOrDefault("content-type", "");
        if (answer.status() >= 400) {
            assertTrue(type.startsWith("application/json"), "a 4xx in JSON: " + type + " " + answer.text());
            JsonNode message = parse(answer).path("message");
            assertTrue(message.isTextual() && !message.asText().isBlank(), "a 4xx names what was wrong: " + answer.text());
        } else if (type.startsWith("application/json")) {
            parse(answer);
        }
    }

    private static JsonNode parse(Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer.text(), e);
        }
    }

    // Percent-encodes what a request line cannot carry (controls, space, non-ASCII) and keeps the
    // rest as sent, '%', '&', '=' and '+' included: those are what the query parser must judge.
    private static String requestTargetSafe(byte[] input) {
        StringBuilder safe = new StringBuilder(input.length);
        for (byte b : input) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '#') {
                safe.append((char) c);
            } else {
                safe.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return safe.toString();
    }

    // A header value cannot hold CR or LF (they would end it); everything else is sent as is.
    private static String headerSafe(String value) {
        return value.replace("\r", "").replace("\n", "");
    }

    private static boolean startsWith(byte[] input, String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.US_ASCII);
        if (input.length < bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (input[i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
