package io.chatleads.ops;

import io.chatleads.http.Route;
import io.chatleads.cli.ChatleadsCommand;
import io.chatleads.app.Server;
import io.chatleads.support.CapturedLogs;
import io.chatleads.support.FaultyServer;
import io.chatleads.support.RawHttp;
import io.chatleads.support.Fixture;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real API key, an Authorization header, a webhook-style signing secret and a database password
 * go through every route (registered by anyone), every method, the error paths (400, 401, 404, 405,
 * 413, 500), paths holding the key (with a bad escape after it), a start-up that cannot connect
 * with the password in the URL, and the command line; every log event of the JVM is captured meanwhile, with MDC,
 * key-value pairs and stack traces, and none of the secrets may appear in any of them.
 */
class LogSecretsTest {

    private static final String SIGNING_SECRET = "whsec_Xy7s3cr3tSigningKeyThatMustNotBeLogged42";
    private static final String DB_PASSWORD = "db-Pa55word-never-logged";

    @Test
    void noSecretReachesTheLogsOnPostgres() {
        run(TestDatabase.Kind.POSTGRES);
    }

    @Test
    void noSecretReachesTheLogsOnSqlite() {
        run(TestDatabase.Kind.SQLITE);
    }

    private void run(TestDatabase.Kind kind) {
        List<String> secrets = new ArrayList<>(List.of(SIGNING_SECRET, DB_PASSWORD));
        try (TestDatabase database = TestDatabase.create(kind); CapturedLogs logs = new CapturedLogs()) {
            Map<String, String> env = database.env();
            env.put("CHATLEADS_DB_PASSWORD", DB_PASSWORD);
            if (kind == TestDatabase.Kind.POSTGRES) {
                // the server trusts local connections, so a password in the URL is accepted and ignored
                String url = env.get("CHATLEADS_DB_URL");
                env.put("CHATLEADS_DB_URL", url + (url.contains("?") ? "&" : "?") + "password=" + DB_PASSWORD);
            }
            try (TestServer server = TestServer.start(database, env)) {
                Fixture fixture = Fixture.create(server.app(), 2);
                secrets.add(fixture.key());
                secrets.add(fixture.revokedKey());
                sendEverywhere(server, fixture);
                runCommands(env, fixture);
                // and once more with every statement failing, on every path (the event loops' own
                // connections too): every request fails with a logged 500
                FaultyServer.failEveryStatement(server);
                sendEverywhere(server, fixture);
            }
            List<String> rendered = logs.rendered();
            assertTrue(rendered.stream().anyMatch(line -> line.contains("chatleads.access")), "the capture works");
            assertTrue(rendered.stream().anyMatch(line -> line.contains("ERROR")), "the 500 path was logged");
            for (String line : rendered) {
                for (String secret : secrets) {
                    assertFalse(line.contains(secret), "a secret in the log: " + line);
                }
                assertFalse(line.contains("Bearer cl_"), "an Authorization header in the log: " + line);
            }
        }
    }

    private static void sendEverywhere(TestServer server, Fixture fixture) {
        String key = fixture.key();
        String body = "{\"chatbotId\":\"" + fixture.chatbot().id() + "\",\"apiKey\":\"" + key
                + "\",\"secret\":\"" + SIGNING_SECRET + "\",\"url\":\"http://127.0.0.1:9/hook\"}";
        List<String> paths = new ArrayList<>(List.of("/api/v1/get-leads", "/api/v1/webhooks", "/no/such/route"));
        for (Route route : server.server().routes()) {
            paths.add(route.path().replaceAll("[{<][^}>]+[}>]", fixture.chatbot().id()));
        }
        String query = "?chatbotId=" + fixture.chatbot().id() + "&key=" + key + "&secret=" + URLEncoder.encode(SIGNING_SECRET, StandardCharsets.UTF_8);
        for (String path : paths) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                for (String secretKey : List.of(key, fixture.revokedKey())) {
                    server.send(server.request(path + query)
                            .header("Authorization", "Bearer " + secretKey)
                            .header("X-Request-Id", secretKey)
                            .header("X-Webhook-Secret", SIGNING_SECRET)
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
                }
            }
            // malformed JSON, and a body over the size limit, each carrying the secrets
            server.send(server.request(path).header("Authorization", "Bearer " + key)
                    .method("GET", HttpRequest.BodyPublishers.ofString("{\"chatbotId\": " + key + SIGNING_SECRET)).build());
            try {
                server.sendAlone(server.request(path).header("Authorization", "Bearer " + key)
                        .method("POST", HttpRequest.BodyPublishers.ofString(body.repeat(20_000))).build());
            } catch (java.io.UncheckedIOException refusedMidUpload) {
                // the server may answer 413 and close while the client is still sending
            }
        }
        server.send(server.request("/api/v1/get-leads?chatbotId=" + fixture.chatbot().id() + "&startDate=" + key)
                .header("Authorization", "bearer " + key).build());
        // a key in the path, as a careless client sends it, also with a bad escape after it (once a 500)
        server.send(server.request("/api/v1/" + key).header("Authorization", "Bearer " + key).build());
        server.send(server.request("/api/v1/leads/" + key).header("Authorization", "Bearer " + key).method("DELETE",
                HttpRequest.BodyPublishers.noBody()).build());
        for (String path : List.of("/api/v1/" + key, "/api/v1/leads/" + key + "%ZZ", "/api/v1/chatbots/" + key + "%ZZ/leads",
                "/api/v1/get-leads?chatbotId=" + key + "%ZZ")) {
            rawGet(server, path, key);
        }
        server.send(server.request("/api/v1/get-leads?chatbotId=" + fixture.chatbot().id())
                .header("Authorization", "Basic " + key).build());
    }

    /** A GET written on a socket of its own: java.net.URI refuses a path with a bad escape. */
    private static void rawGet(TestServer server, String pathAndQuery, String key) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = RawHttp.line(socket.getInputStream());
            assertTrue(status != null && status.startsWith("HTTP/1.1 "), pathAndQuery + ": " + status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A start-up that cannot reach the database, with the password in the URL in every shape
     * (user-info with '@' and '/' in it, the query, CHATLEADS_DB_PASSWORD): neither the terminal nor
     * any log event shows it. Port 1 on loopback refuses the connection.
     */
    @Test
    void noPasswordFromAStartUpThatCannotConnect() {
        // One password per shape: each start-up remembers its own for scrubbing, which must not hide another's.
        List<String> passwords = List.of("Pw1-n0t-f0r-l0gs", "Pw2-n0t-f0r-l0gs", "Pw3-n0t-f0r-l0gs", "Pw4-n0t-f0r-l0gs");
        List<Map<String, String>> shapes = List.of(
                Map.of("CHATLEADS_DB_URL", "jdbc:postgresql://postgres:" + passwords.get(0) + "@127.0.0.1:1/db"),
                Map.of("CHATLEADS_DB_URL", "jdbc:postgresql://postgres:x@y/" + passwords.get(1) + "@127.0.0.1:1/db"),
                Map.of("CHATLEADS_DB_URL", "jdbc:postgresql://127.0.0.1:1/db?user=postgres&password=" + passwords.get(2)),
                Map.of("CHATLEADS_DB_URL", "jdbc:postgresql://127.0.0.1:1/db?user=postgres", "CHATLEADS_DB_PASSWORD", passwords.get(3)));
        try (CapturedLogs logs = new CapturedLogs()) {
            for (Map<String, String> env : shapes) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int status = ChatleadsCommand.run(new String[]{"owner", "list"}, () -> io.chatleads.Settings.from(env),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
                String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
                assertEquals(1, status, env + ": " + printed);
                assertTrue(printed.contains("error: "), "the failure is printed: " + printed);
                for (String password : passwords) {
                    assertFalse(printed.contains(password) || printed.contains("y/Pw"), env + " printed: " + printed);
                }
            }
            for (String line : logs.rendered()) {
                for (String password : passwords) {
                    assertFalse(line.contains(password), "a password in the log: " + line);
                }
            }
        }
    }

    private static void runCommands(Map<String, String> env, Fixture fixture) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        io.chatleads.Settings settings = io.chatleads.Settings.from(env);
        assertEquals(0, ChatleadsCommand.run(new String[]{"key", "create", "--owner", fixture.owner().id()}, () -> settings, stdout, stderr));
        assertEquals(0, ChatleadsCommand.run(new String[]{"key", "list", "--owner", fixture.owner().id()}, () -> settings, stdout, stderr));
        assertEquals(0, ChatleadsCommand.run(new String[]{"config"}, () -> settings, stdout, stderr));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("cl_"), "key create prints its secret on stdout, as it must: " + printed);
        assertFalse(printed.contains(DB_PASSWORD), "config masks the password: " + printed);
    }
}
