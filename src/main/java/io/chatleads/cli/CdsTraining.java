package io.chatleads.cli;

import io.chatleads.Settings;
import io.chatleads.cli.ChatleadsCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run for the class-data sharing archive that makes {@code serve} start faster
 * (README, "Faster start-up"): it runs {@code serve --demo} on a throwaway SQLite file, sends the
 * requests a server gets first, then exits, so that
 * <pre>java -XX:ArchiveClassesAtExit=chatleads.jsa -cp chatleads.jar io.chatleads.cli.CdsTraining</pre>
 * archives the classes start-up loads. {@code mvn package} does this for {@code target/chatleads.jar}.
 * Touches nothing but its temporary directory; exits 0 when every request was answered.
 */
public final class CdsTraining {

    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");
    private static final Pattern CHATBOT = Pattern.compile("chatbot (\\S+), ");
    private static final Pattern KEY = Pattern.compile("API key \\(shown once\\): (\\S+)");

    private CdsTraining() {
    }

    public static void main(String[] args) {
        int status = 1;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("chatleads-cds-training");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Map<String, String> env = Map.of(
                    "CHATLEADS_DB_URL", "jdbc:sqlite:" + dir.resolve("training.db"),
                    "PORT", "0");
            int serve = ChatleadsCommand.run(new String[]{"serve", "--demo"}, () -> Settings.from(env),
                    new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
            String out = printed.toString(StandardCharsets.UTF_8);
            if (serve != ChatleadsCommand.KEEP_RUNNING) {
                throw new IllegalStateException("serve --demo exited with " + serve + ": " + out);
            }
            String base = "http://127.0.0.1:" + find(LISTENING, out);
            String chatbot = find(CHATBOT, out);
            String key = "Bearer " + find(KEY, out);
            String leads = base + "/api/v1/get-leads?chatbotId=" + chatbot;
            for (int round = 0; round < 3; round++) {
                expect(200, "GET", leads + "&page=1&size=10", key, null);
                expect(200, "GET", leads + "&startDate=2000-01-01&endDate=2100-01-01&size=100", key, null);
                expect(401, "GET", leads, null, null);
                expect(401, "GET", leads, "Bearer not-a-key", null);
                expect(200, "GET", base + "/health/live", null, null);
                expect(200, "GET", base + "/health/ready", null, null);
                expect(200, "GET", base + "/metrics", null, null);
                expect(200, "GET", base + "/api/v1/webhooks", key, null);
                expect(-1, "POST", base + "/api/v1/chatbots/" + chatbot + "/leads", null,
                        "{\"name\":\"Training\",\"email\":\"training@example.com\"}");
                expect(404, "GET", base + "/no-such-path", null, null);
            }
            status = 0;
        } catch (Exception e) {
            System.err.println("CDS training failed: " + e);
        } finally {
            if (dir != null) {
                deleteQuietly(dir);
            }
        }
        // Stops the server through its shutdown hook, as SIGTERM would; the JVM then writes the archive.
        System.exit(status);
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in: " + text);
        }
        return matcher.group(1);
    }

    /** One request; {@code expected} -1 accepts any status. */
    private static void expect(int expected, String method, String url, String authorization, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(30_000);
        connection.setRequestMethod(method);
        if (authorization != null) {
            connection.setRequestProperty("Authorization", authorization);
        }
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Origin", "https://example.com");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        if (expected != -1 && status != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + status + ", expected " + expected);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}
