package io.chatleads.chatbot;

import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

abstract class AbstractChatbotRepositoryTest extends DatabaseTestBase {

    private Owner newOwner() {
        return app.owners().create(UUID.randomUUID() + "@example.com");
    }

    @Test
    void idsAreUrlSafeAndAbout21Characters() {
        Owner owner = newOwner();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String id = app.chatbots().create(owner.id(), "bot " + i).id();
            assertTrue(id.matches("[A-Za-z0-9_-]{21}"), id);
            ids.add(id);
        }
        assertEquals(50, ids.size());
    }

    @Test
    void findOwnedOnlyForItsOwner() {
        Owner owner = newOwner();
        Owner other = newOwner();
        Chatbot chatbot = app.chatbots().create(owner.id(), "support");
        assertEquals(chatbot, app.chatbots().findOwned(chatbot.id(), owner.id()).orElseThrow());
        assertTrue(app.chatbots().findOwned(chatbot.id(), other.id()).isEmpty());
        assertTrue(app.chatbots().findOwned("missing", owner.id()).isEmpty());
    }
}
