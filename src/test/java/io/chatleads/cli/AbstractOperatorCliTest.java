package io.chatleads.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Settings;
import io.chatleads.lead.Lead;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as an operator meets it (issue 17 point 4, issue 19): in-process against a
 * real database, with the same settings a server would read. One subclass per database.
 */
abstract class AbstractOperatorCliTest extends DatabaseTestBase {

    record Result(int status, String out, String err) {
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Settings settings = database.settings();
        int status = ChatleadsCommand.run(args, () -> settings,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String newChatbot() {
        String owner = app.owners().create("op-" + UUID.randomUUID() + "@example.com").id();
        return app.chatbots().create(owner, "bot").id();
    }

    @Test
    void leadAddTakesAConversationIdWithTheApisRules() throws Exception {
        String chatbot = newChatbot();
        Result added = run("lead", "add", "--chatbot", chatbot, "--email", "conv@example.com",
                "--conversation-id", "  conv\u001f42  ");
        assertEquals(0, added.status(), added.err());
        long id = new ObjectMapper().readTree(added.out()).get("id").asLong();
        Lead lead = app.leads().find(id).orElseThrow();
        assertEquals("conv\u001f42", lead.conversationId(), "trimmed as the API trims it; a control character is kept, as there");

        Result blank = run("lead", "add", "--chatbot", chatbot, "--email", "blank@example.com", "--conversation-id", "   ");
        assertEquals(0, blank.status(), blank.err());
        assertEquals(null, app.leads().find(new ObjectMapper().readTree(blank.out()).get("id").asLong())
                .orElseThrow().conversationId(), "blank is none, as in the API");

        Result tooLong = run("lead", "add", "--chatbot", chatbot, "--email", "long@example.com",
                "--conversation-id", "x".repeat(129));
        assertEquals(2, tooLong.status(), tooLong.toString());
        assertEquals("", tooLong.out());
        assertEquals("error: conversationId must be at most 128 characters\n", tooLong.err());
        assertEquals(0, run("lead", "add", "--chatbot", chatbot, "--email", "max@example.com",
                "--conversation-id", "x".repeat(128)).status());
    }

    @Test
    void leadAddHelpNamesTheConversationId() {
        Result help = run("lead", "add", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("--conversation-id=ID"), help.out());
    }
}
