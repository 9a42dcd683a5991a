package io.chatleads.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Settings;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.cli.ChatleadsCommand;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deliveries keep verifying across a change of CHATLEADS_WEBHOOK_SECRET_KEY plus {@code webhook
 * rekey}: a server with the old key registers the webhook, one with the new key and the old one as
 * previous signs its events, rekey runs, and one with the new key alone signs them still. One
 * server at a time on a database of this class's own, so that no server lacking a key claims a
 * delivery. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractWebhookKeyRotationTest {

    private static final String OLD_KEY = key();
    private static final String NEW_KEY = key();

    private TestDatabase database;

    protected abstract TestDatabase.Kind kind();

    private static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @BeforeAll
    void createDatabase() {
        database = TestDatabase.create(kind());
    }

    @AfterAll
    void dropDatabase() {
        database.close();
    }

    private TestServer start(String current, String previous) {
        Map<String, String> env = new HashMap<>(AbstractWebhookHttpTest.FAST_DELIVERY);
        env.put(SecretBox.SETTING, current);
        if (previous != null) {
            env.put(SecretBox.PREVIOUS_SETTING, previous);
        }
        return TestServer.start(database, env);
    }

    private String[] rekey(String current, String previous) {
        Map<String, String> env = new HashMap<>(database.env());
        env.put(SecretBox.SETTING, current);
        env.put(SecretBox.PREVIOUS_SETTING, previous);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatleadsCommand.run(new String[] {"webhook", "rekey", "--batch", "1"}, () -> Settings.from(env),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void deliveriesKeepVerifyingAcrossAKeyChangeAndRekey() throws Exception {
        try (Receiver receiver = Receiver.ok()) {
            String secret;
            Chatbot chatbot;
            String webhookId;
            try (TestServer before = start(OLD_KEY, null)) {
                Owner owner = before.app().owners().create("rotation@example.com");
                chatbot = before.app().chatbots().create(owner.id(), "bot");
                String apiKey = before.app().apiKeys().create(owner.id(), "k").secret();
                HttpResponse<String> registered = before.send(before.request("/api/v1/webhooks")
                        .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"" + receiver.url("/hook") + "\"}")).build());
                assertEquals(201, registered.statusCode(), registered.body());
                JsonNode created = new ObjectMapper().readTree(registered.body());
                secret = created.get("secret").asText();
                webhookId = created.get("id").asText();
                AbstractWebhookHttpTest.submitLead(before, chatbot, "one@example.com");
                assertTrue(AbstractWebhookRepositoryTest.verifies(secret, receiver.awaitRequests(1).get(0)));
            }

            try (TestServer during = start(NEW_KEY, OLD_KEY)) {
                AbstractWebhookHttpTest.submitLead(during, chatbot, "two@example.com");
                assertTrue(AbstractWebhookRepositoryTest.verifies(secret, receiver.awaitRequests(2).get(1)),
                        "the new key opens nothing, the previous one opens the secret");
            }

            String[] rekeyed = rekey(NEW_KEY, OLD_KEY);
            assertEquals("0", rekeyed[0], rekeyed[2]);
            assertTrue(rekeyed[1].startsWith("rekeyed 1, already under key "), rekeyed[1]);
            assertTrue(rekeyed[1].strip().endsWith("failed 0"), rekeyed[1]);
            assertTrue(rekeyed[2].contains("(up to webhook " + webhookId + ")"), "progress on stderr: " + rekeyed[2]);
            assertTrue(rekey(NEW_KEY, OLD_KEY)[1].startsWith("rekeyed 0, "), "nothing left to do");

            try (TestServer after = start(NEW_KEY, null)) {
                AbstractWebhookHttpTest.submitLead(after, chatbot, "three@example.com");
                List<Receiver.Received> received = receiver.awaitRequests(3);
                assertTrue(AbstractWebhookRepositoryTest.verifies(secret, received.get(2)), "the old key is no longer needed");
                Receiver.await("the delivery recorded as succeeded", () -> after.app().webhooks().recentDeliveries(webhookId, 3)
                        .stream().allMatch(d -> d.status() == Delivery.Status.SUCCEEDED));
            }
        }
    }
}
