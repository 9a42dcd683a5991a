package io.chatleads.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server, run as a separate process, is killed with SIGKILL while the attempt to
 * deliver a committed lead's event is in flight. After a restart the event is delivered, with the
 * same webhook-id. Runs in {@code mvn verify}, after the jar is built.
 */
class WebhookCrashIT {

    private static final Path JAR = Path.of("target", "chatleads.jar");

    private final List<Process> processes = new ArrayList<>();
    /** The port the most recently started server listens on. */
    private int port;

    @Test
    void anEventWhoseServerWasKilledMidDeliveryIsDeliveredAfterARestart() throws Exception {
        assertTrue(Files.exists(JAR), "run through mvn verify, which builds " + JAR);
        try (TestDatabase database = TestDatabase.sqlite();
             Chatleads app = database.open();
             Receiver receiver = Receiver.ok()) {
            // The first attempt hangs until the server is dead; later ones succeed.
            receiver.respondWith(n -> n == 1 ? receiver.blockThen(200) : 200);
            Owner owner = app.owners().create("crash@example.com");
            Chatbot chatbot = app.chatbots().create(owner.id(), "bot");
            String key = app.apiKeys().create(owner.id(), "crash").secret();
            Webhook hook = app.webhooks().create(owner.id(), null, receiver.url("/hook"), WebhookRepository.EVENT_TYPES).webhook();

            Process first = startServer(database, "first");
            submitLead(chatbot);
            String webhookId = receiver.awaitRequests(1).get(0).header("webhook-id");

            first.destroyForcibly();
            first.waitFor();
            Delivery afterCrash = app.webhooks().findDelivery(hook.id(), webhookId).orElseThrow();
            assertEquals(Delivery.Status.PENDING, afterCrash.status(), "the killed server recorded nothing");
            assertEquals(List.of(), afterCrash.attemptLog());

            Process second = startServer(database, "second");
            Receiver.await("the event to be delivered after the restart", () ->
                    app.webhooks().findDelivery(hook.id(), webhookId).orElseThrow().status() == Delivery.Status.SUCCEEDED);
            Delivery delivered = app.webhooks().findDelivery(hook.id(), webhookId).orElseThrow();
            assertEquals(2, delivered.attempts(), "attempt 1 died with its server; its lease expired; attempt 2 went through");
            assertEquals(200, delivered.lastStatusCode());
            List<Receiver.Received> got = receiver.received();
            assertEquals(2, got.size());
            assertTrue(got.stream().allMatch(r -> webhookId.equals(r.header("webhook-id"))), "the same webhook-id");
            assertEquals(got.get(0).body(), got.get(1).body());

            // The restarted server's deliveries API tells the same story.
            HttpResponse<String> listed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/webhooks/" + hook.id() + "/deliveries"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listed.statusCode(), listed.body());
            JsonNode shown = new ObjectMapper().readTree(listed.body()).get("data").get(0);
            assertEquals(webhookId, shown.get("id").asText());
            assertEquals("succeeded", shown.get("status").asText());
            assertEquals(2, shown.get("attemptCount").asInt());

            second.destroy(); // SIGTERM: the clean path, for contrast: drained, and exit status 0
            assertEquals(0, second.waitFor());
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    /** A widget submission to the running server, which commits the lead and its event itself. */
    private void submitLead(Chatbot chatbot) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/chatbots/" + chatbot.id() + "/leads"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private Process startServer(TestDatabase database, String name) throws IOException {
        Path log = Files.createTempFile("chatleads-" + name, ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "serve", "--port", "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(database.env());
        builder.environment().putAll(Map.of(
                EndpointPolicy.ALLOW_PRIVATE_SETTING, "true",
                "CHATLEADS_WEBHOOK_POLL_MS", "50",
                "CHATLEADS_WEBHOOK_LEASE_MS", "20000"));
        Process process = builder.start();
        processes.add(process);
        Receiver.await(name + " server to listen (log: " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " server exited: " + read(log));
            }
            return read(log).contains("chatleads listening on");
        });
        java.util.regex.Matcher listening = java.util.regex.Pattern.compile("listening on http://localhost:(\\d+)").matcher(read(log));
        assertTrue(listening.find());
        port = Integer.parseInt(listening.group(1));
        return process;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
