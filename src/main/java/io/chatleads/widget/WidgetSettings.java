package io.chatleads.widget;

import io.chatleads.error.InvalidInput;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a chatbot's lead widget looks and asks: which of name, email and phone it shows and
 * requires, the language of its built-in texts and the owner's own wording for any of them, an
 * accent colour, an optional consent line linking to a privacy policy (shown, and required, when
 * {@code consentUrl} is set), and where a form posted without JavaScript lands afterwards.
 * Every instance is valid: the {@code with…} methods check their value and name it when wrong.
 */
public record WidgetSettings(FieldMode name, FieldMode email, FieldMode phone, String language, String accentColor,
                             Map<String, String> texts, String consentUrl, String redirectUrl) {

    public static final String DEFAULT_ACCENT = "#2563eb";
    static final int MAX_URL = 2000;

    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

    public WidgetSettings {
        if (!email.shown() && !phone.shown()) {
            // A lead needs an email or a phone (LeadValidator): a form without both could never be sent.
            throw new InvalidInput("fields: at least one of email and phone must be shown (optional or required)");
        }
        for (String key : texts.keySet()) {
            WidgetText.require("texts", key);
        }
        texts = Collections.unmodifiableMap(new TreeMap<>(texts));
    }

    /** What a chatbot without settings of its own gets: name optional, email required, phone hidden, English. */
    public static WidgetSettings defaults() {
        return new WidgetSettings(FieldMode.OPTIONAL, FieldMode.REQUIRED, FieldMode.HIDDEN, "en", DEFAULT_ACCENT,
                Map.of(), null, null);
    }

    /** The text named {@code key} as the widget shows it; see {@link #textKeys()}. */
    public String wording(String key) {
        return text(WidgetText.require("text", key));
    }

    /** The text as the widget shows it: the owner's wording, else the built-in one in the settings' language. */
    String text(WidgetText text) {
        String own = texts.get(text.key());
        return own != null ? own : text.builtIn(language);
    }

    /** The mode of {@code field}: name, email or phone. */
    public FieldMode field(String field) {
        return switch (field) {
            case "name" -> name;
            case "email" -> email;
            case "phone" -> phone;
            default -> throw new IllegalArgumentException(field);
        };
    }

    /** {@code field} is name, email or phone. */
    public WidgetSettings withField(String field, FieldMode mode) {
        return switch (field) {
            case "name" -> new WidgetSettings(mode, email, phone, language, accentColor, texts, consentUrl, redirectUrl);
            case "email" -> new WidgetSettings(name, mode, phone, language, accentColor, texts, consentUrl, redirectUrl);
            case "phone" -> new WidgetSettings(name, email, mode, language, accentColor, texts, consentUrl, redirectUrl);
            default -> throw new IllegalArgumentException(field);
        };
    }

    /** Checks every field together: email and phone cannot both be hidden (the constructor says so, naming them). */
    public WidgetSettings withFields(FieldMode name, FieldMode email, FieldMode phone) {
        return new WidgetSettings(name, email, phone, language, accentColor, texts, consentUrl, redirectUrl);
    }

    /** {@code null} means English. {@code field} names the input in the error (language, --language). */
    public WidgetSettings withLanguage(String field, String raw) {
        return new WidgetSettings(name, email, phone, language(field, raw), accentColor, texts, consentUrl, redirectUrl);
    }

    /** {@code null} means the default blue. */
    public WidgetSettings withAccentColor(String field, String raw) {
        return new WidgetSettings(name, email, phone, language, accentColor(field, raw), texts, consentUrl, redirectUrl);
    }

    /**
     * The owner's wording for the text {@code key} (see {@link #textKeys()}); {@code null} goes back
     * to the built-in one. {@code field} names the input in errors (texts.submit, --text submit=…).
     */
    public WidgetSettings withText(String field, String key, String raw) {
        WidgetText text = WidgetText.require(field, key);
        Map<String, String> changed = new TreeMap<>(texts);
        String value = text(field, text, raw);
        if (value == null) {
            changed.remove(key);
        } else {
            changed.put(key, value);
        }
        return new WidgetSettings(name, email, phone, language, accentColor, changed, consentUrl, redirectUrl);
    }

    /** {@code null} (or blank) removes the consent line. */
    public WidgetSettings withConsentUrl(String field, String raw) {
        return new WidgetSettings(name, email, phone, language, accentColor, texts, url(field, raw), redirectUrl);
    }

    /** {@code null} (or blank): a form posted without JavaScript gets chatleads' own thank-you page. */
    public WidgetSettings withRedirectUrl(String field, String raw) {
        return new WidgetSettings(name, email, phone, language, accentColor, texts, consentUrl, url(field, raw));
    }

    /** The names of the texts an owner may reword, in the order the widget uses them. */
    public static java.util.List<String> textKeys() {
        return WidgetText.keys();
    }

    /** The languages of the built-in texts ({@code en} first), as {@link #language()} and {@link #withLanguage} name them. */
    public static java.util.List<String> languages() {
        return WidgetText.LANGUAGES;
    }

    /** The built-in wording of the text {@code key} in {@code language} (one of {@link #languages()}): what an owner's empty text means. */
    public static String builtIn(String key, String language) {
        return WidgetText.require("text", key).builtIn(language("language", language));
    }

    static String language(String field, String raw) {
        if (raw == null) {
            return "en";
        }
        String language = raw.strip().toLowerCase(Locale.ROOT);
        if (!WidgetText.LANGUAGES.contains(language)) {
            throw new InvalidInput(field + " must be one of " + String.join(", ", WidgetText.LANGUAGES) + ", got '" + raw + "'");
        }
        return language;
    }

    static String accentColor(String field, String raw) {
        if (raw == null) {
            return DEFAULT_ACCENT;
        }
        String colour = raw.strip();
        if (!COLOUR.matcher(colour).matches()) {
            throw new InvalidInput(field + " must be a colour written #rrggbb, such as " + DEFAULT_ACCENT + ", got '" + raw + "'");
        }
        return colour.toLowerCase(Locale.ROOT);
    }

    /**
     * The owner's wording, stripped; null stays null. Shown as text, never as HTML, so any
     * character is harmless on the page, but a control character or a lone surrogate is a
     * pasting mistake (and PostgreSQL refuses NUL).
     */
    static String text(String field, WidgetText text, String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.strip();
        if (value.length() > text.maxLength()) {
            throw new InvalidInput(field + " must be at most " + text.maxLength() + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidInput(field + " must not contain control characters such as tabs or line breaks");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInput(field + " must be valid Unicode text: it has an unpaired surrogate");
            }
        }
        return value;
    }

    /**
     * An absolute http or https URL, or null for null or blank. Only these two schemes: the
     * consent link is put on the page and the redirect is sent to the visitor's browser, where a
     * {@code javascript:} URL would run code.
     */
    static String url(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.strip();
        String problem = field + " must be an http or https URL such as https://example.com/privacy, got '" + raw + "'";
        if (value.length() > MAX_URL) {
            throw new InvalidInput(field + " must be at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidInput(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new InvalidInput(problem);
        }
        return value;
    }
}
