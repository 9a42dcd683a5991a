package io.chatleads.lead;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports 100,000 leads (about 30 MB of CSV, several times what the export could buffer) from the
 * packaged jar running with a 64 MB heap: if the export held the range or the body in memory the
 * server would die with OutOfMemoryError and the row count would fall short.
 */
class LeadCsvExportIT {

    static final int LEADS = 100_000;
    static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void exportsOneHundredThousandLeadsWithA64MbHeap(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            Chatbot chatbot;
            String secret;
            try (Chatleads app = database.open()) {
                Owner owner = app.owners().create("big@example.com");
                chatbot = app.chatbots().create(owner.id(), "big");
                secret = app.apiKeys().create(owner.id(), "k").secret();
                String padding = "x".repeat(250);
                Instant base = Instant.parse("2024-01-01T00:00:00Z");
                for (int start = 0; start < LEADS; start += 5_000) {
                    List<NewLead> batch = new ArrayList<>();
                    for (int i = start; i < start + 5_000; i++) {
                        batch.add(new NewLead(chatbot.id(), owner.id(), "Lead " + i + " " + padding, "lead" + i + "@example.com",
                                "+1415555" + String.format("%04d", i % 10_000), null, base.plusSeconds(i)));
                    }
                    app.database().jdbi().useTransaction(h -> app.leads().insertAll(h, batch, false));
                }
            }

            Path jar = Path.of("target", "chatleads.jar").toAbsolutePath();
            assertTrue(jar.toFile().isFile(), "run after mvn package: " + jar);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-jar", jar.toString(), "serve", "--port", "0");
            builder.environment().putAll(database.env());
            builder.environment().put("CHATLEADS_API_RATE_LIMIT", "0");
            builder.redirectErrorStream(true);
            Process server = builder.start();
            try {
                int port = awaitPort(server);
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/api/v1/get-leads?chatbotId=" + chatbot.id()))
                        .header("Authorization", "Bearer " + secret)
                        .header("Accept", "text/csv")
                        .timeout(Duration.ofMinutes(5))
                        .build();
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, response.statusCode());
                long lines = 0;
                long bytes = 0;
                String first = null;
                String last = null;
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (lines == 1) {
                            first = line;
                        }
                        last = line;
                        lines++;
                        bytes += line.length() + 2;
                    }
                }
                assertEquals(LEADS + 1, lines, "header plus one line per lead");
                assertTrue(bytes > 25_000_000, "the export should dwarf the heap, was " + bytes + " bytes");
                assertTrue(first.contains("Lead " + (LEADS - 1) + " "), first);
                assertTrue(last.contains("Lead 0 "), last);
                assertTrue(server.isAlive(), "server survived the export");
                // Still serving afterwards.
                HttpResponse<String> page = client.send(HttpRequest.newBuilder(request.uri())
                        .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode());
            } finally {
                server.destroy();
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    private static int awaitPort(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                // Keep draining the server's output so it never blocks on a full pipe.
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "it-server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("server exited before listening:\n" + seen);
    }
}
