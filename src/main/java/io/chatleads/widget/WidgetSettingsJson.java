package io.chatleads.widget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatleads.error.InvalidInput;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The three JSON forms of widget settings: the owner's (what GET and PUT widget-settings and
 * {@code chatbot widget} show), the stored document, and the public configuration the script
 * draws itself from, which names no owner and holds only what is shown.
 */
public final class WidgetSettingsJson {

    static final List<String> FIELDS = List.of("name", "email", "phone");

    // Every top-level member of the owner's form; chatbotId and builtInTexts are read-only, so a
    // GET answer sent back as it is changes nothing.
    private static final Set<String> OWNER_MEMBERS = Set.of("chatbotId", "fields", "language", "accentColor",
            "texts", "consentUrl", "redirectUrl", "builtInTexts");

    private final ObjectMapper json;

    public WidgetSettingsJson(ObjectMapper json) {
        this.json = json;
    }

    /** The owner's view: every setting, the texts they reworded, and the built-in wording of all texts. */
    public ObjectNode owner(String chatbotId, WidgetSettings settings) {
        ObjectNode node = json.createObjectNode();
        node.put("chatbotId", chatbotId);
        writeChoices(node, settings);
        ObjectNode builtIn = node.putObject("builtInTexts");
        for (WidgetText text : WidgetText.values()) {
            builtIn.put(text.key(), text.builtIn(settings.language()));
        }
        return node;
    }

    /**
     * The owner's change: every member optional, an absent one keeps its value, {@code null} (or,
     * in {@code texts}, a null member) goes back to the default. Unknown members are refused, so a
     * misspelt setting is not silently ignored.
     */
    public WidgetSettings applyChange(WidgetSettings current, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInput("request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String member = names.next();
            if (!OWNER_MEMBERS.contains(member)) {
                throw new InvalidInput("'" + member + "' is not a widget setting; the settings are "
                        + "fields, language, accentColor, texts, consentUrl, redirectUrl");
            }
        }
        WidgetSettings changed = current;
        if (body.has("fields")) {
            changed = applyFields(changed, body.get("fields"));
        }
        if (body.has("language")) {
            changed = changed.withLanguage("language", text(body, "language"));
        }
        if (body.has("accentColor")) {
            changed = changed.withAccentColor("accentColor", text(body, "accentColor"));
        }
        if (body.has("texts")) {
            JsonNode texts = body.get("texts");
            if (texts.isNull()) {
                for (String key : current.texts().keySet()) {
                    changed = changed.withText("texts." + key, key, null);
                }
            } else if (!texts.isObject()) {
                throw new InvalidInput("texts must be an object such as {\"submit\": \"Send\"}");
            } else {
                for (Iterator<String> keys = texts.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    WidgetText.require("texts", key); // an unknown name is the error, not its value
                    changed = changed.withText("texts." + key, key, text(texts, key, "texts." + key));
                }
            }
        }
        if (body.has("consentUrl")) {
            changed = changed.withConsentUrl("consentUrl", text(body, "consentUrl"));
        }
        if (body.has("redirectUrl")) {
            changed = changed.withRedirectUrl("redirectUrl", text(body, "redirectUrl"));
        }
        return changed;
    }

    private static WidgetSettings applyFields(WidgetSettings current, JsonNode fields) {
        if (fields.isNull()) {
            WidgetSettings defaults = WidgetSettings.defaults();
            return current.withFields(defaults.name(), defaults.email(), defaults.phone());
        }
        if (!fields.isObject()) {
            throw new InvalidInput("fields must be an object such as {\"email\": \"required\", \"phone\": \"optional\"}");
        }
        Map<String, FieldMode> modes = new TreeMap<>();
        for (String field : FIELDS) {
            modes.put(field, current.field(field));
        }
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new InvalidInput("fields: '" + field + "' is not a field of the form; the fields are name, email, phone");
            }
            modes.put(field, FieldMode.parse("fields." + field, text(fields, field, "fields." + field)));
        }
        // All three at once: hiding email while showing phone is one valid change, not two steps.
        return current.withFields(modes.get("name"), modes.get("email"), modes.get("phone"));
    }

    private static String text(JsonNode node, String member) {
        return text(node, member, member);
    }

    private static String text(JsonNode node, String member, String field) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInput(field + " must be a string");
        }
        return value.textValue();
    }

    /** The stored document: the owner's choices, as in their view without the built-in texts. */
    String storage(WidgetSettings settings) {
        ObjectNode node = json.createObjectNode();
        writeChoices(node, settings);
        return node.toString();
    }

    WidgetSettings fromStorage(String document) {
        try {
            return applyChange(WidgetSettings.defaults(), json.readTree(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored widget settings are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void writeChoices(ObjectNode node, WidgetSettings settings) {
        ObjectNode fields = node.putObject("fields");
        for (String field : FIELDS) {
            fields.put(field, settings.field(field).word());
        }
        node.put("language", settings.language());
        node.put("accentColor", settings.accentColor());
        ObjectNode texts = node.putObject("texts");
        settings.texts().forEach(texts::put);
        node.put("consentUrl", settings.consentUrl());
        node.put("redirectUrl", settings.redirectUrl());
    }

    /**
     * What the widget needs to draw itself: the shown fields in order with their labels, every
     * other text resolved in the settings' language, the colour, and the consent line when set.
     * Nothing about the owner, nor the redirect (used by the server alone).
     */
    byte[] publicView(String chatbotId, WidgetSettings settings) {
        ObjectNode node = json.createObjectNode();
        node.put("chatbotId", chatbotId);
        node.put("language", settings.language());
        node.put("accentColor", settings.accentColor());
        var fields = node.putArray("fields");
        for (String field : FIELDS) {
            FieldMode mode = settings.field(field);
            if (mode.shown()) {
                ObjectNode shown = fields.addObject();
                shown.put("name", field);
                shown.put("required", mode == FieldMode.REQUIRED);
                shown.put("label", settings.text(WidgetText.require("fields", field + "Label")));
                shown.put("placeholder", settings.text(WidgetText.require("fields", field + "Placeholder")));
            }
        }
        if (settings.consentUrl() == null) {
            node.putNull("consent");
        } else {
            ObjectNode consent = node.putObject("consent");
            consent.put("text", settings.text(WidgetText.CONSENT));
            consent.put("linkText", settings.text(WidgetText.CONSENT_LINK));
            consent.put("url", settings.consentUrl());
        }
        ObjectNode texts = node.putObject("texts");
        for (WidgetText text : WidgetText.values()) {
            if (!isFieldText(text) && text != WidgetText.CONSENT && text != WidgetText.CONSENT_LINK) {
                texts.put(text.key(), settings.text(text));
            }
        }
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isFieldText(WidgetText text) {
        return text.key().endsWith("Label") || text.key().endsWith("Placeholder");
    }
}
