package io.chatleads.widget;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Widget settings as stored, on a real database; once per database. */
abstract class AbstractWidgetSettingsRepositoryTest extends DatabaseTestBase {

    private Chatbot newChatbot() {
        Owner owner = app.owners().create("owner-" + UUID.randomUUID() + "@example.com");
        return app.chatbots().create(owner.id(), "bot");
    }

    @Test
    void settingsComeBackAsTheyWereStored() {
        Chatbot chatbot = newChatbot();
        assertEquals(WidgetSettings.defaults(), app.widgetSettings().find(chatbot.id()));
        WidgetSettings stored = app.widgetSettings().update(chatbot.id(), s -> s
                .withFields(FieldMode.REQUIRED, FieldMode.HIDDEN, FieldMode.REQUIRED)
                .withLanguage("language", "ES")
                .withAccentColor("accentColor", "#AABBCC")
                .withText("texts.success", "success", "¡Gracias! 🎉")
                .withConsentUrl("consentUrl", "https://example.com/privacidad?x=1&y=2")
                .withRedirectUrl("redirectUrl", "https://example.com/gracias")).orElseThrow();
        assertEquals("es", stored.language());
        assertEquals("#aabbcc", stored.accentColor());
        assertEquals(stored, app.widgetSettings().find(chatbot.id()));
        assertEquals("¡Gracias! 🎉", app.widgetSettings().find(chatbot.id()).wording("success"));
        assertEquals("Enviar", app.widgetSettings().find(chatbot.id()).wording("submit"));
    }

    @Test
    void aMissingChatbotHasNoSettingsToChange() {
        assertTrue(app.widgetSettings().update("no-such-chatbot", s -> s.withLanguage("language", "de")).isEmpty());
    }

    /**
     * Changes to one chatbot's settings made at the same time each keep their own part: each
     * writer sets a text of its own, and every text is there at the end. Without the row lock on
     * PostgreSQL two writers read the same settings and the later write drops the earlier's text.
     */
    @Test
    void concurrentChangesDoNotLoseEachOther() throws Exception {
        Chatbot chatbot = newChatbot();
        List<String> keys = List.of("title", "intro", "submit", "success", "open", "close", "consent", "failed");
        ExecutorService pool = Executors.newFixedThreadPool(keys.size());
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (String key : keys) {
                writers.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        int r = round;
                        app.widgetSettings().update(chatbot.id(), s -> s.withText("texts." + key, key, key + " " + r));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        WidgetSettings after = app.widgetSettings().find(chatbot.id());
        for (String key : keys) {
            assertEquals(key + " 4", after.texts().get(key), "every writer's last change is kept: " + after.texts());
        }
    }
}
