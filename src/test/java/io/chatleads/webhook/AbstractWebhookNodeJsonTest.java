package io.chatleads.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.json.NodeJson;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies as Node writes them (issue 17): a receiver written for the hosted service that checks
 * {@code x-chatbase-signature} over {@code JSON.stringify(req.body)} instead of the raw bytes
 * accepts our events, even for a conversationId with a control character, which Jackson's default
 * writer escapes as {@code \}{@code u001F}. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractWebhookNodeJsonTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private TestDatabase database;
    private TestServer server;

    protected abstract TestDatabase.Kind kind();

    @BeforeAll
    void startServer() {
        database = TestDatabase.create(kind());
        server = TestServer.start(database, AbstractWebhookHttpTest.FAST_DELIVERY);
    }

    @AfterAll
    void stopServer() {
        server.close();
        database.close();
    }

    @Test
    void aConversationIdWithAControlCharacterVerifiesOverTheRawBodyAndOverTheBodyWrittenAgain() throws Exception {
        Chatleads app = server.app();
        Owner owner = app.owners().create(UUID.randomUUID() + "@example.com");
        Chatbot chatbot = app.chatbots().create(owner.id(), "bot");
        String key = app.apiKeys().create(owner.id(), "test").secret();
        try (Receiver receiver = Receiver.ok()) {
            HttpResponse<String> registered = post("/api/v1/webhooks", key,
                    "{\"endpoint\":\"" + receiver.url("/hook") + "\",\"events\":[\"leads.submit\"]}");
            assertEquals(201, registered.statusCode(), registered.body());
            String secret = PLAIN.readTree(registered.body()).get("secret").asText();

            HttpResponse<String> captured = post("/api/v1/chatbots/" + chatbot.id() + "/leads", null,
                    "{\"email\":\"unit@example.com\",\"name\":\"Zo\u00eb \ud83d\ude00\",\"conversationId\":\"conv\\u001fA\u2028/\"}");
            assertEquals(201, captured.statusCode(), captured.body());

            String body = receiver.awaitRequests(1).get(0).body();
            String signature = receiver.received().get(0).header("x-chatbase-signature");
            assertTrue(body.contains("\"conversationId\":\"conv\\u001fA\u2028/\""), body);
            assertTrue(body.contains("\"customerName\":\"Zo\u00eb \ud83d\ude00\""), body);

            assertEquals(WebhookSigner.chatbaseSignature(secret, body), signature, "over the raw body");
            JsonNode parsed = PLAIN.readTree(body);
            String again = new String(NodeJson.mapper().writeValueAsBytes(parsed), StandardCharsets.UTF_8);
            assertEquals(body, again);
            assertEquals(WebhookSigner.chatbaseSignature(secret, again), signature, "over the body parsed and written again");

            Optional<Path> node = onPath("node");
            if (node.isEmpty()) {
                System.out.println("AbstractWebhookNodeJsonTest: node is not on PATH, so JSON.stringify(JSON.parse(body)) is not checked");
            } else {
                assertEquals(body, nodeRewrite(node.get(), body), "JSON.stringify(JSON.parse(body)) in Node itself");
            }
        }
    }

    @Test
    void anApiAnswerEscapesAsNodeToo() {
        Chatleads app = server.app();
        Owner owner = app.owners().create(UUID.randomUUID() + "@example.com");
        String key = app.apiKeys().create(owner.id(), "test").secret();
        // An error message that quotes what the client sent: the one place an answer carries a control character.
        HttpResponse<String> answer = server.get("/api/v1/get-leads?chatbotId=a%1Fb%E2%80%A8c%2F", key);
        assertEquals(404, answer.statusCode(), answer.body());
        assertEquals("{\"message\":\"chatbot 'a\\u001fb\u2028c/' not found\"}", answer.body());
    }

    private HttpResponse<String> post(String path, String bearer, String body) {
        HttpRequest.Builder request = server.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return server.send(request.build());
    }

    private static String nodeRewrite(Path node, String body) throws Exception {
        Path in = Files.createTempFile("webhook-body", ".json");
        try {
            Files.writeString(in, body, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(node.toString(), "-e",
                    "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))))",
                    in.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] output = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node did not finish");
            assertEquals(0, process.exitValue(), "node failed");
            return new String(output, StandardCharsets.UTF_8);
        } finally {
            Files.delete(in);
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }
}
