package io.chatleads.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Settings;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line, run in-process against a real database with the same settings a server would read. */
abstract class AbstractCliTest extends DatabaseTestBase {

    record Result(int status, String out, String err) {
        String line() {
            return out.strip();
        }
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Settings settings = database.settings();
        int status = ChatleadsCommand.run(args, () -> settings,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsageError(Result result, String mentioned) {
        assertEquals(2, result.status(), result.toString());
        assertEquals("", result.out());
        List<String> lines = result.err().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + result.err());
        assertTrue(lines.get(0).contains(mentioned), lines.get(0));
    }

    private int count(String table) {
        return app.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    private String newOwner() {
        Result result = run("owner", "create", "--email", "cli-" + UUID.randomUUID() + "@example.com");
        assertEquals(0, result.status(), result.err());
        return result.line();
    }

    @Test
    void ownerCreatePrintsOnlyTheNewId() {
        String id = newOwner();
        assertEquals(id, UUID.fromString(id).toString());
        assertTrue(app.owners().find(id).isPresent());
    }

    @Test
    void badArgumentsAreOneLineExit2AndWriteNothing() {
        int owners = count("owners");
        assertUsageError(run("owner", "create", "--email", "not-an-email"), "email");
        assertUsageError(run("owner", "create"), "--email");
        assertUsageError(run("owner", "frobnicate"), "frobnicate");
        assertUsageError(run("no-such-command"), "no-such-command");
        assertEquals(owners, count("owners"));

        String email = "twice-" + UUID.randomUUID() + "@example.com";
        assertEquals(0, run("owner", "create", "--email", email).status());
        assertUsageError(run("owner", "create", "--email", email), "already exists");
    }

    @Test
    void chatbotCreateNeedsAKnownOwner() {
        String owner = newOwner();
        Result created = run("chatbot", "create", "--owner", owner, "--name", "Support bot");
        assertEquals(0, created.status(), created.err());
        assertTrue(created.line().matches("[A-Za-z0-9_-]{21}"), created.line());
        assertEquals(owner, app.chatbots().find(created.line()).orElseThrow().ownerId());

        int chatbots = count("chatbots");
        assertUsageError(run("chatbot", "create", "--owner", UUID.randomUUID().toString(), "--name", "x"), "not found");
        assertUsageError(run("chatbot", "create", "--owner", owner, "--name", "  "), "--name");
        assertEquals(chatbots, count("chatbots"));
    }

    @Test
    void aKeyCarriesItsOwnResponseEnvelope() {
        String owner = newOwner();
        Result created = run("key", "create", "--owner", owner, "--name", "zapier", "--response-envelope", "collectedCustomersArray");
        assertEquals(0, created.status(), created.err());
        String keyId = app.apiKeys().findBySecret(created.line()).orElseThrow().id();
        assertTrue(run("key", "list", "--owner", owner).out().lines()
                .anyMatch(l -> l.startsWith(keyId) && l.endsWith("\tcollectedCustomersArray\t-")), "key list shows the shape");
        Result changed = run("key", "update", keyId, "--response-envelope", "default");
        assertEquals(0, changed.status(), changed.err());
        assertTrue(run("key", "list", "--owner", owner).out().lines()
                .anyMatch(l -> l.startsWith(keyId) && l.endsWith("\tdefault\t-")));
        assertUsageError(run("key", "create", "--owner", owner, "--response-envelope", "collectedcustomers"), "--response-envelope");
        assertUsageError(run("key", "update", keyId, "--response-envelope", "array"), "--response-envelope");
        assertUsageError(run("key", "update", "key_missing", "--response-envelope", "data"), "not found");
    }

    @Test
    void keyCreateListRevoke() {
        String owner = newOwner();
        Result created = run("key", "create", "--owner", owner, "--name", "crm-sync");
        assertEquals(0, created.status(), created.err());
        String secret = created.line();
        assertTrue(app.authenticator().authenticate(secret).join() != null);
        String keyId = app.apiKeys().findBySecret(secret).orElseThrow().id();

        Result listed = run("key", "list", "--owner", owner);
        assertEquals(0, listed.status());
        assertTrue(listed.out().contains(keyId));
        assertTrue(listed.out().contains("crm-sync"));
        assertTrue(listed.out().contains(secret.substring(0, 11)), "the visible prefix is listed");
        assertFalse(listed.out().contains(secret), "never the secret");
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith(keyId) && l.endsWith("\t-")), "not revoked yet");

        Result revoked = run("key", "revoke", keyId);
        assertEquals(0, revoked.status(), revoked.err());
        assertTrue(app.authenticator().authenticate(secret).join() == null, "a revoked key stops working at once");
        assertFalse(run("key", "list", "--owner", owner).out().lines().anyMatch(l -> l.startsWith(keyId) && l.endsWith("\t-")));

        assertUsageError(run("key", "revoke", "key_doesnotexist"), "not found");
        assertUsageError(run("key", "create", "--owner", UUID.randomUUID().toString()), "not found");
        assertUsageError(run("key", "list", "--owner", UUID.randomUUID().toString()), "not found");
        // key list is tab-separated, one key a line: a tab or a line break in a name shifted its columns.
        int keys = run("key", "list", "--owner", owner).out().lines().toList().size();
        assertUsageError(run("key", "create", "--owner", owner, "--name", "crm\tsync"), "--name must not contain control characters");
        assertUsageError(run("key", "create", "--owner", owner, "--name", "crm\nsync"), "--name must not contain control characters");
        assertEquals(keys, run("key", "list", "--owner", owner).out().lines().toList().size());
    }

    @Test
    void leadAddPrintsTheSevenApiFields() throws Exception {
        String owner = newOwner();
        String chatbot = run("chatbot", "create", "--owner", owner, "--name", "bot").line();
        Result added = run("lead", "add", "--chatbot", chatbot, "--name", " Ada Lovelace ", "--email", "Ada@Example.COM",
                "--phone", "+1 (415) 555-0100", "--created-at", "2023-07-10T12:34:56.789Z");
        assertEquals(0, added.status(), added.err());
        JsonNode lead = new ObjectMapper().readTree(added.line());
        List<String> fields = new ArrayList<>();
        lead.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("id", "created_at", "chatbot_owner_user_id", "chatbot_id", "phone", "email", "name"), fields);
        assertEquals("2023-07-10T12:34:56.789Z", lead.path("created_at").asText());
        assertEquals(owner, lead.path("chatbot_owner_user_id").asText());
        assertEquals("+14155550100", lead.path("phone").asText());
        assertEquals("Ada@example.com", lead.path("email").asText());
        assertEquals("Ada Lovelace", lead.path("name").asText());
        assertTrue(app.leads().find(lead.path("id").asLong()).isPresent());
    }

    @Test
    void leadAddRejectsBadInputAndWritesNothing() {
        String owner = newOwner();
        String chatbot = run("chatbot", "create", "--owner", owner, "--name", "bot").line();
        int leads = count("leads");
        assertUsageError(run("lead", "add", "--chatbot", "missing-bot", "--email", "a@example.com"), "not found");
        assertUsageError(run("lead", "add", "--chatbot", chatbot, "--email", "nope"), "email");
        assertUsageError(run("lead", "add", "--chatbot", chatbot, "--phone", "12"), "phone");
        assertUsageError(run("lead", "add", "--chatbot", chatbot, "--name", "only a name"), "email or phone");
        assertUsageError(run("lead", "add", "--chatbot", chatbot, "--email", "a@example.com", "--created-at", "2023-07-10"), "--created-at");
        assertUsageError(run("lead", "add", "--email", "a@example.com"), "--chatbot");
        // The API's and the import's range for created_at: 1960 was stored, a year past 9999 was
        // "unexpected ArithmeticException: long overflow" with status 1.
        assertUsageError(run("lead", "add", "--chatbot", chatbot, "--email", "a@example.com",
                "--created-at", "1969-12-31T23:59:59.999Z"), "--created-at must be between 1970 and 9999");
        assertUsageError(run("lead", "add", "--chatbot", chatbot, "--email", "a@example.com",
                "--created-at", "+999999999-12-31T23:59:59Z"), "--created-at must be between 1970 and 9999");
        assertEquals(leads, count("leads"));
    }
}
