package io.chatleads.support;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;

import java.time.Instant;
import java.util.UUID;

/** An owner with a chatbot, a live key and some leads; another owner's chatbot; a revoked key. */
public record Fixture(Owner owner, Chatbot chatbot, String key, String revokedKey, Chatbot otherChatbot) {

    public static Fixture create(Chatleads app, int leads) {
        Owner owner = app.owners().create(UUID.randomUUID() + "@example.com");
        Chatbot chatbot = app.chatbots().create(owner.id(), "bot");
        String key = app.apiKeys().create(owner.id(), "live").secret();
        var revoked = app.apiKeys().create(owner.id(), "revoked");
        app.apiKeys().revoke(revoked.key().id());
        Owner other = app.owners().create(UUID.randomUUID() + "@example.com");
        Chatbot otherChatbot = app.chatbots().create(other.id(), "theirs");
        Instant start = Instant.parse("2023-07-01T00:00:00Z");
        for (int i = 0; i < leads; i++) {
            app.leads().create(new NewLead(chatbot.id(), owner.id(), i % 3 == 0 ? null : "Lead " + i,
                    "lead" + i + "@example.com", i % 2 == 0 ? null : "+1415555" + String.format("%04d", i),
                    null, start.plusSeconds(3600L * i)));
        }
        return new Fixture(owner, chatbot, key, revoked.secret(), otherChatbot);
    }
}
