package io.chatleads.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.error.InvalidInput;
import io.chatleads.widget.FieldMode;
import io.chatleads.widget.WidgetSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The chatbot page's widget settings form: every setting of {@link WidgetSettings} as a field an
 * owner who is not a developer can fill in, checked by the settings' own {@code with…} rules. An
 * empty text means the built-in wording, which each text field shows as its placeholder.
 */
final class WidgetForm {

    static final List<String> FIELDS = List.of("name", "email", "phone");
    /** The form's one error about the three fields together (email and phone both hidden). */
    static final String FIELDS_ERROR = "fields";
    static final String TEXT_PREFIX = "text-";


    private record Wording(String label, Group group) {
    }

    private enum Group { FIELD, FORM, CONSENT, MORE }

    // How each text is named on the form; a text added to the widget later and missing here is
    // still offered, under "More texts", by its key.
    private static final Map<String, Wording> WORDINGS = new LinkedHashMap<>();

    static {
        WORDINGS.put("title", new Wording("Title", Group.FORM));
        WORDINGS.put("intro", new Wording("Introduction", Group.FORM));
        WORDINGS.put("submit", new Wording("Submit button", Group.FORM));
        WORDINGS.put("success", new Wording("Success message", Group.FORM));
        WORDINGS.put("nameLabel", new Wording("Label", Group.FIELD));
        WORDINGS.put("emailLabel", new Wording("Label", Group.FIELD));
        WORDINGS.put("phoneLabel", new Wording("Label", Group.FIELD));
        WORDINGS.put("namePlaceholder", new Wording("Placeholder", Group.FIELD));
        WORDINGS.put("emailPlaceholder", new Wording("Placeholder", Group.FIELD));
        WORDINGS.put("phonePlaceholder", new Wording("Placeholder", Group.FIELD));
        WORDINGS.put("consent", new Wording("Consent text", Group.CONSENT));
        WORDINGS.put("consentLink", new Wording("Link text", Group.CONSENT));
        WORDINGS.put("optional", new Wording("Mark of an optional field", Group.MORE));
        WORDINGS.put("sending", new Wording("Submit button while sending", Group.MORE));
        WORDINGS.put("open", new Wording("Button that opens the form (bubble, popup)", Group.MORE));
        WORDINGS.put("close", new Wording("Close button", Group.MORE));
        WORDINGS.put("required", new Wording("A required field is empty", Group.MORE));
        WORDINGS.put("invalidEmail", new Wording("The email is not valid", Group.MORE));
        WORDINGS.put("emailOrPhone", new Wording("Neither email nor phone given", Group.MORE));
        WORDINGS.put("consentRequired", new Wording("The consent box is not ticked", Group.MORE));
        WORDINGS.put("retrying", new Wording("Connection problem, trying again", Group.MORE));
        WORDINGS.put("waiting", new Wording("Too many attempts, waiting", Group.MORE));
        WORDINGS.put("failed", new Wording("Sending failed", Group.MORE));
        WORDINGS.put("unavailable", new Wording("The form is not available on the site", Group.MORE));
        WORDINGS.put("back", new Wording("Back link on the page a form without JavaScript gets", Group.MORE));
    }

    private static final String BUILT_IN_JSON = builtInJson();

    private WidgetForm() {
    }

    /** The form showing {@code settings} as they are. */
    static Form of(WidgetSettings settings) {
        Form form = Form.empty();
        for (String field : FIELDS) {
            form.with(field + "Mode", settings.field(field).word());
        }
        for (String key : WidgetSettings.textKeys()) {
            form.with(TEXT_PREFIX + key, settings.texts().getOrDefault(key, ""));
        }
        return form.with("language", settings.language())
                .with("accentColor", settings.accentColor())
                .with("consentUrl", settings.consentUrl() == null ? "" : settings.consentUrl())
                .with("redirectUrl", settings.redirectUrl() == null ? "" : settings.redirectUrl());
    }

    /** What was posted: the form as typed, and the change it asks for, step by step, each with the field it comes from. */
    record Posted(Form form, List<Step> steps) {

        /**
         * Tries each step on {@code current} by itself and puts its message beside its field: every
         * wrong value is said at once, not only the first. True when none was wrong.
         */
        boolean check(WidgetSettings current) {
            for (Step step : steps) {
                try {
                    step.change().apply(current);
                } catch (InvalidInput e) {
                    form.error(step.field(), e.getMessage());
                }
            }
            return !form.hasErrors();
        }

        /** Every step in turn: the settings as the form asks for them. */
        WidgetSettings applyTo(WidgetSettings current) {
            WidgetSettings changed = current;
            for (Step step : steps) {
                changed = step.change().apply(changed);
            }
            return changed;
        }
    }

    record Step(String field, UnaryOperator<WidgetSettings> change) {
    }

    static Posted read(ConsoleRequest request) {
        Form form = Form.empty();
        List<Step> steps = new ArrayList<>();
        Map<String, String> modes = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String raw = request.field(field + "Mode");
            form.with(field + "Mode", raw);
            modes.put(field, raw);
        }
        // The three together: hiding email while showing phone is one valid change, as in the API.
        steps.add(new Step(FIELDS_ERROR, s -> {
            FieldMode[] parsed = new FieldMode[FIELDS.size()];
            for (int i = 0; i < parsed.length; i++) {
                String field = FIELDS.get(i);
                parsed[i] = FieldMode.parse(capitalized(field) + " field", modes.get(field));
            }
            try {
                return s.withFields(parsed[0], parsed[1], parsed[2]);
            } catch (InvalidInput e) {
                // The settings' message names the API's member ("fields: at least one …"); the form has no such field.
                throw new InvalidInput(capitalized(e.getMessage().replaceFirst("^fields: ", "")));
            }
        }));
        String language = request.field("language");
        form.with("language", language);
        steps.add(new Step("language", s -> s.withLanguage("Language", language)));
        String accent = request.field("accentColor");
        form.with("accentColor", accent);
        steps.add(new Step("accentColor", s -> s.withAccentColor("Accent colour", accent.isBlank() ? null : accent)));
        for (String key : WidgetSettings.textKeys()) {
            String raw = request.field(TEXT_PREFIX + key);
            form.with(TEXT_PREFIX + key, raw);
            // Empty: the built-in wording (the placeholder the owner saw), as null is in the API.
            steps.add(new Step(TEXT_PREFIX + key, s -> s.withText(messageName(key), key, raw.isBlank() ? null : raw)));
        }
        String consentUrl = request.field("consentUrl");
        form.with("consentUrl", consentUrl);
        steps.add(new Step("consentUrl", s -> s.withConsentUrl("Privacy policy address", consentUrl)));
        String redirectUrl = request.field("redirectUrl");
        form.with("redirectUrl", redirectUrl);
        steps.add(new Step("redirectUrl", s -> s.withRedirectUrl("Thank-you page address", redirectUrl)));
        return new Posted(form, steps);
    }

    /** What the template draws: the form's values and errors, each text with its label and its built-in wording. */
    static Views.WidgetSettingsForm view(Form form) {
        List<String> languages = WidgetSettings.languages();
        // The placeholders follow the language chosen, even one typed but refused elsewhere on the form.
        String language = languages.contains(form.value("language")) ? form.value("language") : languages.get(0);
        List<Views.WidgetField> fields = FIELDS.stream()
                .map(field -> new Views.WidgetField(field, capitalized(field), field + "Mode",
                        text(field + "Label", language), text(field + "Placeholder", language)))
                .toList();
        List<Views.WidgetText> main = new ArrayList<>();
        List<Views.WidgetText> consent = new ArrayList<>();
        List<Views.WidgetText> more = new ArrayList<>();
        for (String key : WidgetSettings.textKeys()) {
            Group group = WORDINGS.containsKey(key) ? WORDINGS.get(key).group() : Group.MORE;
            switch (group) {
                case FORM -> main.add(text(key, language));
                case CONSENT -> consent.add(text(key, language));
                case MORE -> more.add(text(key, language));
                case FIELD -> { } // drawn with its field
            }
        }
        List<Views.Choice> languageChoices = languages.stream().map(code -> new Views.Choice(code, languageName(code))).toList();
        return new Views.WidgetSettingsForm(form, fields, main, consent, more, languageChoices, WidgetSettings.DEFAULT_ACCENT,
                BUILT_IN_JSON);
    }

    private static Views.WidgetText text(String key, String language) {
        Wording wording = WORDINGS.get(key);
        return new Views.WidgetText(key, TEXT_PREFIX + key, wording == null ? key : wording.label(),
                WidgetSettings.builtIn(key, language), key.equals("intro") || key.equals("success") || key.equals("consent"));
    }

    /** How a text is named in its error: "Success message must be at most 1000 characters", "Email label …". */
    private static String messageName(String key) {
        Wording wording = WORDINGS.get(key);
        if (wording == null) {
            return key;
        }
        if (wording.group() == Group.FIELD) {
            String field = FIELDS.stream().filter(key::startsWith).findFirst().orElse("");
            return capitalized(field) + " " + wording.label().toLowerCase(Locale.ROOT);
        }
        return wording.label();
    }

    /** "German (Deutsch)": in English, and in itself for those who read only that. */
    static String languageName(String code) {
        Locale locale = Locale.forLanguageTag(code);
        String english = locale.getDisplayLanguage(Locale.ENGLISH);
        String own = capitalized(locale.getDisplayLanguage(locale));
        return english.equalsIgnoreCase(own) ? english : english + " (" + own + ")";
    }

    /** Every built-in wording by language then text, for console.js to change the placeholders with the language chosen. */
    private static String builtInJson() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        for (String language : WidgetSettings.languages()) {
            Map<String, String> texts = new LinkedHashMap<>();
            for (String key : WidgetSettings.textKeys()) {
                texts.put(key, WidgetSettings.builtIn(key, language));
            }
            all.put(language, texts);
        }
        try {
            return new ObjectMapper().writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String capitalized(String word) {
        return word.isEmpty() ? word : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
