package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The seven public fields of a lead, in the hosted API's order and formats. */
public final class LeadJson {

    /** Always three fraction digits and a Z, unlike ISO_INSTANT, which drops a zero fraction. */
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LeadJson() {
    }

    public static String formatInstant(Instant instant) {
        return CREATED_AT.format(instant);
    }

    public static void write(JsonGenerator out, Lead lead) throws IOException {
        out.writeStartObject();
        out.writeNumberField("id", lead.id());
        out.writeStringField("created_at", formatInstant(lead.createdAt()));
        out.writeStringField("chatbot_owner_user_id", lead.ownerId());
        out.writeStringField("chatbot_id", lead.chatbotId());
        out.writeStringField("phone", lead.phone());
        out.writeStringField("email", lead.email());
        out.writeStringField("name", lead.name());
        out.writeEndObject();
    }
}
