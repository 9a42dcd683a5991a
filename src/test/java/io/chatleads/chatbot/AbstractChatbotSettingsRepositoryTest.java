package io.chatleads.chatbot;

import io.chatleads.error.InvalidInput;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

abstract class AbstractChatbotSettingsRepositoryTest extends DatabaseTestBase {


    Chatbot newChatbot() {
        Owner owner = app.owners().create("o-" + UUID.randomUUID() + "@example.com");
        return app.chatbots().create(owner.id(), "bot");
    }

    @Test
    void listsEachOfTheOwnersChatbotsWithItsSettingsOldestFirst() {
        Owner owner = app.owners().create("o-" + UUID.randomUUID() + "@example.com");
        Chatbot plain = app.chatbots().create(owner.id(), "plain");
        Chatbot restricted = app.chatbots().create(owner.id(), "restricted");
        Chatbot another = app.chatbots().create(owner.id(), "another");
        app.chatbotSettings().update(restricted.id(), ChatbotSettings.Change.none().withCaptureEnabled(false)
                .withDefaultRegion("fr").withAllowedOrigins(List.of("https://b.example", "https://a.example")));
        app.chatbotSettings().update(another.id(), ChatbotSettings.Change.none()
                .withAllowedOrigins(List.of("https://c.example")));
        app.chatbots().create(app.owners().create("o-" + UUID.randomUUID() + "@example.com").id(), "someone else's");

        List<CaptureTarget> listed = app.chatbotSettings().listByOwner(owner.id());

        List<CaptureTarget> expected = java.util.stream.Stream.of(plain, restricted, another)
                .map(chatbot -> new CaptureTarget(chatbot, app.chatbotSettings().find(chatbot.id()).orElseThrow()))
                .sorted(java.util.Comparator.comparing((CaptureTarget t) -> t.chatbot().createdAt())
                        .thenComparing(t -> t.chatbot().id()))
                .toList();
        assertEquals(expected, listed);
        assertEquals(List.of("https://a.example", "https://b.example"),
                listed.stream().filter(t -> t.chatbot().id().equals(restricted.id())).findFirst().orElseThrow()
                        .settings().allowedOrigins());
        assertEquals(List.of(), app.chatbotSettings().listByOwner("no-such-owner"));
    }

    @Test
    void newChatbotCapturesFromAnyOriginWithNoRegion() {
        Chatbot chatbot = newChatbot();
        ChatbotSettings settings = app.chatbotSettings().find(chatbot.id()).orElseThrow();
        assertTrue(settings.captureEnabled());
        assertNull(settings.defaultRegion());
        assertEquals(List.of(), settings.allowedOrigins());
        assertTrue(settings.allowsOrigin("https://any.example"));
        assertTrue(settings.allowsOrigin(null));
        assertTrue(app.chatbotSettings().find("missing").isEmpty());
    }

    @Test
    void updateChangesOnlyWhatItNames() {
        Chatbot chatbot = newChatbot();
        ChatbotSettings.Change change = ChatbotSettings.Change.none()
                .withCaptureEnabled(false)
                .withDefaultRegion("de")
                .withAllowedOrigins(List.of("HTTPS://Shop.Example.com/", "http://localhost:3000", "https://shop.example.com:443"));
        ChatbotSettings updated = app.chatbotSettings().update(chatbot.id(), change).orElseThrow();
        assertFalse(updated.captureEnabled());
        assertEquals("DE", updated.defaultRegion());
        assertEquals(List.of("http://localhost:3000", "https://shop.example.com"), updated.allowedOrigins());
        assertTrue(updated.allowsOrigin("https://shop.example.com"));
        assertFalse(updated.allowsOrigin("https://shop.example.com:8443"));
        assertFalse(updated.allowsOrigin(null));

        ChatbotSettings renamed = app.chatbotSettings().update(chatbot.id(),
                ChatbotSettings.Change.none().withName(" New name ")).orElseThrow();
        assertEquals(updated, renamed);
        assertEquals("New name", app.chatbots().find(chatbot.id()).orElseThrow().name());

        ChatbotSettings cleared = app.chatbotSettings().update(chatbot.id(), ChatbotSettings.Change.none()
                .withDefaultRegion(null).withAllowedOrigins(List.of()).withCaptureEnabled(true)).orElseThrow();
        assertEquals(new ChatbotSettings(chatbot.id(), true, null, List.of()), cleared);
        assertEquals(Optional.empty(), app.chatbotSettings().update("missing", ChatbotSettings.Change.none()));
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        InvalidInput region = assertThrows(InvalidInput.class, () -> ChatbotSettings.Change.none().withDefaultRegion("XX"));
        assertTrue(region.getMessage().contains("defaultRegion"));
        for (String bad : List.of("shop.example.com", "ftp://x.example", "https://x.example/path", "https://x.example?q", "")) {
            InvalidInput origin = assertThrows(InvalidInput.class,
                    () -> ChatbotSettings.Change.none().withAllowedOrigins(List.of(bad)), bad);
            assertTrue(origin.getMessage().contains("origin"));
        }
        assertThrows(InvalidInput.class, () -> ChatbotSettings.Change.none().withName(" "));
    }

    @Test
    void deletingAChatbotDeletesItsLeadsAndSettings() {
        Chatbot chatbot = newChatbot();
        app.chatbotSettings().update(chatbot.id(), ChatbotSettings.Change.none().withAllowedOrigins(List.of("https://a.example")));
        long id = app.leads().create(new NewLead(chatbot.id(), chatbot.ownerId(), "n", "a@example.com", null, null,
                Instant.now())).id();
        assertTrue(app.chatbots().delete(chatbot.id()));
        assertFalse(app.chatbots().delete(chatbot.id()));
        assertTrue(app.leads().find(id).isEmpty());
        assertTrue(app.chatbotSettings().find(chatbot.id()).isEmpty());
    }
}
