package io.chatleads.widget;

import io.chatleads.error.InvalidInput;

import java.util.List;
import java.util.Locale;

/** The HTML a site owner pastes to show a chatbot's widget: one script tag (docs/widget.md). */
public final class WidgetSnippet {

    /** How the widget shows itself; docs/widget.md describes each. */
    public static final List<String> MODES = List.of("bubble", "popup", "inline", "hidden");

    private WidgetSnippet() {
    }

    /**
     * @param baseUrl  where visitors' browsers reach chatleads, such as https://leads.example.com
     * @param mode     one of {@link #MODES}; {@code inline} needs {@code target}
     * @param target   a CSS selector of the element the form is drawn into (inline) or the button
     *                 is put into (popup); null for none
     */
    public static String html(String baseUrl, String chatbotId, String mode, String target) {
        String chosen = mode(mode);
        if (chosen.equals("inline") && (target == null || target.isBlank())) {
            throw new InvalidInput("--target is required with --mode inline: the CSS selector of the element to draw the form in, such as #contact");
        }
        StringBuilder html = new StringBuilder("<script src=\"")
                .append(attribute(stripSlash(baseUrl) + WidgetRoutes.SCRIPT_PATH))
                .append("\" data-chatbot-id=\"").append(attribute(chatbotId)).append('"');
        if (!chosen.equals("bubble")) {
            html.append(" data-mode=\"").append(chosen).append('"');
        }
        if (target != null && !target.isBlank()) {
            html.append(" data-target=\"").append(attribute(target.strip())).append('"');
        }
        return html.append(" async></script>").toString();
    }

    static String mode(String raw) {
        String mode = raw == null ? "bubble" : raw.strip().toLowerCase(Locale.ROOT);
        if (!MODES.contains(mode)) {
            throw new InvalidInput("--mode must be one of " + String.join(", ", MODES) + ", got '" + raw + "'");
        }
        return mode;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
