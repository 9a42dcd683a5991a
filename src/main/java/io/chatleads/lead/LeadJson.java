package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chatleads.Timestamps;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.time.Instant;

/** The seven public fields of a lead, in the hosted API's order and formats. */
public final class LeadJson {

    private LeadJson() {
    }

    // Field names quoted and encoded once: written from a String, each name was escaped character
    // by character on every lead (7 % of a get-leads page's samples).
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString CREATED_AT_FIELD = new SerializedString("created_at");
    private static final SerializedString OWNER = new SerializedString("chatbot_owner_user_id");
    private static final SerializedString CHATBOT = new SerializedString("chatbot_id");
    private static final SerializedString PHONE = new SerializedString("phone");
    private static final SerializedString EMAIL = new SerializedString("email");
    private static final SerializedString NAME = new SerializedString("name");

    public static void write(JsonGenerator out, Lead lead) throws IOException {
        out.writeStartObject();
        out.writeFieldName(ID);
        out.writeNumber(lead.id());
        out.writeFieldName(CREATED_AT_FIELD);
        out.writeString(Timestamps.format(lead.createdAt()));
        out.writeFieldName(OWNER);
        out.writeString(lead.ownerId());
        out.writeFieldName(CHATBOT);
        out.writeString(lead.chatbotId());
        out.writeFieldName(PHONE);
        out.writeString(lead.phone());
        out.writeFieldName(EMAIL);
        out.writeString(lead.email());
        out.writeFieldName(NAME);
        out.writeString(lead.name());
        out.writeEndObject();
    }
}
