package io.chatleads.cli;

import io.chatleads.Settings;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.widget.FieldMode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chatbot embed} and {@code chatbot widget}, in-process against a real database; once per database. */
abstract class AbstractWidgetCliTest extends DatabaseTestBase {

    record Result(int status, String out, String err) {
    }

    private Result run(Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(database.env());
        env.putAll(extraEnv);
        Settings settings = Settings.from(env);
        int status = ChatleadsCommand.run(args, () -> settings,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... args) {
        return run(Map.of(), args);
    }

    private Chatbot newChatbot() {
        Owner owner = app.owners().create("owner-" + UUID.randomUUID() + "@example.com");
        return app.chatbots().create(owner.id(), "bot");
    }

    private static void assertUsageError(Result result, String mentioned) {
        assertEquals(2, result.status(), result.toString());
        assertEquals("", result.out());
        List<String> lines = result.err().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + result.err());
        assertTrue(lines.get(0).contains(mentioned), lines.get(0));
    }

    @Test
    void embedPrintsTheSnippetForThePublicUrl() {
        Chatbot chatbot = newChatbot();
        Result bubble = run(Map.of("CHATLEADS_PUBLIC_URL", "https://leads.example.com/"), "chatbot", "embed", chatbot.id());
        assertEquals(0, bubble.status(), bubble.err());
        assertEquals("<script src=\"https://leads.example.com/widget/v1.js\" data-chatbot-id=\"" + chatbot.id() + "\" async></script>",
                bubble.out().strip());
        assertEquals("", bubble.err());

        Result inline = run(Map.of("CHATLEADS_PUBLIC_URL", "https://leads.example.com"),
                "chatbot", "embed", chatbot.id(), "--mode", "inline", "--target", "#contact \"form\"");
        assertEquals(0, inline.status(), inline.err());
        assertEquals("<script src=\"https://leads.example.com/widget/v1.js\" data-chatbot-id=\"" + chatbot.id()
                + "\" data-mode=\"inline\" data-target=\"#contact &quot;form&quot;\" async></script>", inline.out().strip());
    }

    @Test
    void embedSaysWhatTheSnippetStillNeeds() {
        Chatbot chatbot = newChatbot();
        app.chatbotSettings().update(chatbot.id(), ChatbotSettings.Change.none().withCaptureEnabled(false));
        Result result = run(Map.of("PORT", "8181"), "chatbot", "embed", chatbot.id(), "--mode", "popup");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("src=\"http://localhost:8181/widget/v1.js\""), result.out());
        assertTrue(result.out().contains("data-mode=\"popup\""), result.out());
        assertTrue(result.err().contains("CHATLEADS_PUBLIC_URL is not set"), result.err());
        assertTrue(result.err().contains("--capture on"), result.err());

        assertUsageError(run("chatbot", "embed", chatbot.id(), "--mode", "sidebar"), "--mode must be one of bubble, popup, inline, hidden");
        assertUsageError(run("chatbot", "embed", chatbot.id(), "--mode", "inline"), "--target is required");
        assertUsageError(run("chatbot", "embed", "nope"), "chatbot 'nope' not found");
    }

    @Test
    void widgetShowsAndChangesTheSettings() {
        Chatbot chatbot = newChatbot();
        Result shown = run("chatbot", "widget", chatbot.id());
        assertEquals(0, shown.status(), shown.err());
        assertTrue(shown.out().contains("field-email\trequired\n"), shown.out());
        assertTrue(shown.out().contains("text submit\tSend\t(built-in)\n"), shown.out());

        Result changed = run("chatbot", "widget", chatbot.id(), "--field-email", "hidden", "--field-phone", "REQUIRED",
                "--language", "de", "--accent-color", "#0A7D5A", "--submit-text", "Rückruf anfordern",
                "--text", "title=Wir rufen zurück", "--consent-url", "https://shop.example.com/datenschutz");
        assertEquals(0, changed.status(), changed.err());
        assertTrue(changed.out().contains("field-email\thidden\n"), changed.out());
        assertTrue(changed.out().contains("text submit\tRückruf anfordern\n"), changed.out());
        assertTrue(changed.out().contains("text success\tVielen Dank! Wir melden uns in Kürze.\t(built-in)\n"), changed.out());
        var stored = app.widgetSettings().find(chatbot.id());
        assertEquals(FieldMode.REQUIRED, stored.phone());
        assertEquals("#0a7d5a", stored.accentColor());
        assertEquals("Wir rufen zurück", stored.wording("title"));
        assertEquals("https://shop.example.com/datenschutz", stored.consentUrl());

        Result reset = run("chatbot", "widget", chatbot.id(), "--reset-text", "all", "--consent-url", "none");
        assertEquals(0, reset.status(), reset.err());
        assertEquals(Map.of(), app.widgetSettings().find(chatbot.id()).texts());
        assertEquals(null, app.widgetSettings().find(chatbot.id()).consentUrl());
    }

    @Test
    void wrongWidgetOptionsAreOneLineAndChangeNothing() {
        Chatbot chatbot = newChatbot();
        assertUsageError(run("chatbot", "widget", chatbot.id(), "--field-email", "sometimes"), "--field-email must be hidden, optional or required");
        assertUsageError(run("chatbot", "widget", chatbot.id(), "--field-email", "hidden"), "at least one of email and phone");
        assertUsageError(run("chatbot", "widget", chatbot.id(), "--accent-color", "red"), "--accent-color must be a colour");
        assertUsageError(run("chatbot", "widget", chatbot.id(), "--text", "submit"), "--text must be KEY=TEXT");
        assertUsageError(run("chatbot", "widget", chatbot.id(), "--text", "button=Go"), "'button' is not a text of the widget");
        assertUsageError(run("chatbot", "widget", chatbot.id(), "--redirect-url", "ftp://example.com"), "--redirect-url must be an http or https URL");
        assertUsageError(run("chatbot", "widget", "nope", "--language", "fr"), "chatbot 'nope' not found");
        assertEquals(io.chatleads.widget.WidgetSettings.defaults(), app.widgetSettings().find(chatbot.id()));
    }
}
