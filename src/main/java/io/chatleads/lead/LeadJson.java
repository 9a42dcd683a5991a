package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chatleads.Timestamps;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.time.Instant;

/** The seven public fields of a lead, in the hosted API's order and formats (six for a visitor). */
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
    private static final SerializedString ACCOUNT = new SerializedString("account_id");

    /** The seven fields of the seed's example response. */
    public static void write(JsonGenerator out, Lead lead) throws IOException {
        write(out, lead, true);
    }

    /**
     * The six fields a visitor's browser may see of the lead it just submitted: all but
     * {@code chatbot_owner_user_id}, which names the owner to anyone who asks.
     */
    public static void writeForVisitor(JsonGenerator out, Lead lead) throws IOException {
        write(out, lead, false);
    }

    private static void write(JsonGenerator out, Lead lead, boolean withOwner) throws IOException {
        out.writeStartObject();
        fields(out, lead, withOwner);
        out.writeEndObject();
    }

    /**
     * The seven fields plus {@code account_id} (the owner's id), as the hosted service's API
     * reference lists them: the {@code collectedCustomersArray} shape.
     */
    static void writeWithAccountId(JsonGenerator out, Lead lead) throws IOException {
        out.writeStartObject();
        fields(out, lead, true);
        out.writeFieldName(ACCOUNT);
        out.writeString(lead.ownerId());
        out.writeEndObject();
    }

    private static void fields(JsonGenerator out, Lead lead, boolean withOwner) throws IOException {
        out.writeFieldName(ID);
        out.writeNumber(lead.id());
        out.writeFieldName(CREATED_AT_FIELD);
        out.writeString(Timestamps.format(lead.createdAt()));
        if (withOwner) {
            out.writeFieldName(OWNER);
            out.writeString(lead.ownerId());
        }
        out.writeFieldName(CHATBOT);
        out.writeString(lead.chatbotId());
        out.writeFieldName(PHONE);
        out.writeString(lead.phone());
        out.writeFieldName(EMAIL);
        out.writeString(lead.email());
        out.writeFieldName(NAME);
        out.writeString(lead.name());
    }
}
