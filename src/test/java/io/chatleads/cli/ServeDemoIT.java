package io.chatleads.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's run command, as a user runs it: the built jar, the embedded SQLite default, demo data. */
class ServeDemoIT {

    private static final Pattern CURL = Pattern.compile("curl -s '([^']+)'");
    private static final Pattern BEARER = Pattern.compile("Authorization: Bearer (\\S+)'");

    @Test
    void serveDemoPrintsCurlCommandsThatWork(@TempDir Path workDir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-jar", Path.of("target/chatleads.jar").toAbsolutePath().toString(),
                "serve", "--demo")
                .directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("CHATLEADS_DB_URL");
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        try {
            List<String> lines = new ArrayList<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            // The instructions end with an empty line after the last curl command.
            int curls = 0;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("curl -s")) {
                    curls++;
                }
                if (curls == 2 && line.isBlank()) {
                    break;
                }
            }
            String printed = String.join("\n", lines);
            assertTrue(printed.contains("listening on http://localhost:" + port), printed);
            assertTrue(Files.exists(workDir.resolve("data/chatleads.db")), "the default SQLite file");

            Matcher url = CURL.matcher(printed);
            Matcher key = BEARER.matcher(printed);
            assertTrue(url.find() && key.find(), printed);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url.group(1).replace("size=10", "size=100")))
                    .header("Authorization", "Bearer " + key.group(1)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode data = new ObjectMapper().readTree(response.body()).path("data");
            assertEquals(DemoData.LEAD_COUNT, data.size());
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
