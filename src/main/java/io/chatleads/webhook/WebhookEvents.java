package io.chatleads.webhook;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chatleads.Timestamps;
import io.chatleads.json.NodeJson;
import io.chatleads.lead.Lead;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The bodies events are sent with. */
public final class WebhookEvents {

    private WebhookEvents() {
    }

    /**
     * {@code {"eventType":"leads.submit","chatbotId":…,"payload":{…}}}: the hosted service's four
     * payload fields first, then ours, {@code leadId} and {@code createdAt}.
     */
    public static String leadSubmitted(Lead lead) {
        // Written as bytes, as JSON.stringify writes it (NodeJson): receivers may sign it again that way.
        ByteArrayOutputStream text = new ByteArrayOutputStream(256);
        try (JsonGenerator out = NodeJson.factory().createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("eventType", WebhookRepository.LEADS_SUBMIT);
            out.writeStringField("chatbotId", lead.chatbotId());
            out.writeObjectFieldStart("payload");
            out.writeStringField("conversationId", lead.conversationId());
            out.writeStringField("customerEmail", lead.email());
            out.writeStringField("customerName", lead.name());
            out.writeStringField("customerPhone", lead.phone());
            out.writeNumberField("leadId", lead.id());
            out.writeStringField("createdAt", Timestamps.format(lead.createdAt()));
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an event body", e);
        }
        return text.toString(StandardCharsets.UTF_8);
    }
}
