package io.chatleads.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.Settings;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.cli.ChatleadsCommand;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code webhook add|list|remove|deliveries|retry}, run as the jar's main would run them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookCommandTest {

    private TestDatabase database;
    private Chatleads app;
    private Owner owner;
    private Chatbot chatbot;

    record Run(int status, String out, String err) {
    }

    @BeforeAll
    void setUp() {
        database = TestDatabase.sqlite();
        app = database.open();
        owner = app.owners().create("cli@example.com");
        chatbot = app.chatbots().create(owner.id(), "bot");
    }

    @AfterAll
    void tearDown() {
        app.close();
        database.close();
    }

    private Run run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(database.env());
        env.putAll(extraEnv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatleadsCommand.run(args, () -> Settings.from(env), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void addListDeliveriesRetryAndRemove() throws Exception {
        Run added = run("webhook", "add", "--owner", owner.id(), "--endpoint", "https://93.184.215.14/hook",
                "--chatbot", chatbot.id(), "--event", "leads.submit");
        assertEquals(0, added.status(), added.err());
        JsonNode created = new ObjectMapper().readTree(added.out());
        String id = created.get("id").asText();
        assertTrue(created.get("secret").asText().startsWith("whsec_"));
        assertEquals(chatbot.id(), created.get("chatbotId").asText());

        Run listed = run("webhook", "list", "--owner", owner.id());
        assertEquals(0, listed.status());
        assertTrue(listed.out().contains(id + "\thttps://93.184.215.14/hook\tleads.submit\t" + chatbot.id()), listed.out());
        assertTrue(!listed.out().contains("whsec_"), "never the secret");

        app.leads().create(new NewLead(chatbot.id(), owner.id(), "A", "a@example.com", null, null, Instant.now()));
        Run deliveries = run("webhook", "deliveries", id);
        assertEquals(0, deliveries.status(), deliveries.err());
        JsonNode delivery = new ObjectMapper().readTree(deliveries.out().lines().findFirst().orElseThrow());
        assertEquals("pending", delivery.get("status").asText());
        app.leads().create(new NewLead(chatbot.id(), owner.id(), "B", "b@example.com", null, null, Instant.now()));
        assertEquals(2, run("webhook", "deliveries", id).out().lines().count());
        assertEquals(1, run("webhook", "deliveries", id, "--limit", "1").out().lines().count());

        Run retried = run("webhook", "retry", id, delivery.get("id").asText());
        assertEquals(0, retried.status(), retried.err());
        assertEquals("scheduled " + delivery.get("id").asText(), retried.out().strip());

        assertEquals(0, run("webhook", "remove", id).status());
        Run again = run("webhook", "remove", id);
        assertEquals(2, again.status());
        assertEquals("error: webhook '" + id + "' not found", again.err().strip());
    }

    @Test
    void rotateSecretPrintsTheNewSecretAndHonoursTheGraceSetting() throws Exception {
        Run added = run("webhook", "add", "--owner", owner.id(), "--endpoint", "https://93.184.215.14/hook");
        String id = new ObjectMapper().readTree(added.out()).get("id").asText();
        String old = new ObjectMapper().readTree(added.out()).get("secret").asText();

        Run rotated = run("webhook", "rotate-secret", id);
        assertEquals(0, rotated.status(), rotated.err());
        JsonNode json = new ObjectMapper().readTree(rotated.out());
        assertTrue(json.get("secret").asText().startsWith("whsec_"));
        assertTrue(!json.get("secret").asText().equals(old));
        assertTrue(json.get("previousSecretExpiresAt").isTextual(), rotated.out());

        Run noGrace = run(Map.of(WebhookSettings.SECRET_GRACE_SETTING, "0"), "webhook", "rotate-secret", id);
        assertEquals(0, noGrace.status(), noGrace.err());
        assertTrue(new ObjectMapper().readTree(noGrace.out()).get("previousSecretExpiresAt").isNull(), noGrace.out());

        Run missing = run("webhook", "rotate-secret", "wh_missing");
        assertEquals(2, missing.status());
        assertEquals("error: webhook 'wh_missing' not found", missing.err().strip());
        Run noKey = run("webhook", "rekey");
        assertEquals(2, noKey.status());
        assertTrue(noKey.err().startsWith("error: CHATLEADS_WEBHOOK_SECRET_KEY is not set"), noKey.err());
    }

    @Test
    void badArgumentsAreOneLineErrorsWithStatusTwo() {
        Run privateEndpoint = run("webhook", "add", "--owner", owner.id(), "--endpoint", "http://127.0.0.1/hook");
        assertEquals(2, privateEndpoint.status());
        assertTrue(privateEndpoint.err().startsWith("error: endpoint host '127.0.0.1' resolves to"), privateEndpoint.err());
        assertEquals(0, run(Map.of(EndpointPolicy.ALLOW_PRIVATE_SETTING, "true"),
                "webhook", "add", "--owner", owner.id(), "--endpoint", "http://127.0.0.1/hook").status());

        Run badEvent = run("webhook", "add", "--owner", owner.id(), "--endpoint", "https://93.184.215.14/", "--event", "x");
        assertEquals(2, badEvent.status());
        assertTrue(badEvent.err().contains("events"), badEvent.err());
        assertEquals(2, run("webhook", "add", "--owner", "nobody", "--endpoint", "https://93.184.215.14/").status());
        assertEquals(2, run("webhook", "deliveries", "wh_missing").status());
        for (String limit : List.of("0", "101")) {
            Run outOfRange = run("webhook", "deliveries", "wh_missing", "--limit", limit);
            assertEquals(2, outOfRange.status());
            assertEquals("error: --limit must be from 1 to 100, got " + limit, outOfRange.err().strip());
        }
        assertEquals(2, run("webhook", "retry", "wh_missing", "msg_x").status());
    }
}
