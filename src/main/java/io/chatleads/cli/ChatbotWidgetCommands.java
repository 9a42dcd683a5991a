package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.Settings;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.lead.GetLeadsRoute;
import io.chatleads.widget.FieldMode;
import io.chatleads.widget.WidgetSettings;
import io.chatleads.widget.WidgetSnippet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** {@code chatbot embed} and {@code chatbot widget}: the lead widget's snippet and its settings (docs/widget.md). */
final class ChatbotWidgetCommands {

    private ChatbotWidgetCommands() {
    }

    @Command(name = "embed", description = "Print the HTML snippet that shows the chatbot's lead widget on a website.")
    static final class Embed implements Runnable {
        @ParentCommand
        ChatbotCommand parent;

        @Parameters(paramLabel = "CHATBOT_ID")
        String chatbotId;

        @Option(names = "--mode", paramLabel = "bubble|popup|inline|hidden",
                description = "bubble (default): a floating button; popup: a button that opens the form; "
                        + "inline: the form inside --target; hidden: nothing until the page calls chatleads('open').")
        String mode;

        @Option(names = "--target", paramLabel = "SELECTOR",
                description = "CSS selector of the element to draw into (inline: the form; popup: the button).")
        String target;

        @Override
        public void run() {
            Settings settings = parent.root.settings();
            String publicUrl = GetLeadsRoute.publicUrl(settings);
            // Checked before the database opens: a wrong --mode is the user's to fix either way.
            String snippet = WidgetSnippet.html(publicUrl != null ? publicUrl : "http://localhost:" + settings.port(),
                    chatbotId, mode, target);
            try (Chatleads app = parent.root.open()) {
                Commands.requireChatbot(app, chatbotId);
                boolean capturing = app.chatbotSettings().find(chatbotId).map(ChatbotSettings::captureEnabled).orElse(false);
                parent.root.out.println(snippet);
                if (publicUrl == null) {
                    parent.root.err.println("note: CHATLEADS_PUBLIC_URL is not set, so the snippet names http://localhost:"
                            + settings.port() + "; set it to the address visitors' browsers reach this server at");
                }
                if (!capturing) {
                    parent.root.err.println("note: lead capture is off for this chatbot, so the widget shows nothing; "
                            + "turn it on with: chatbot update " + chatbotId + " --capture on");
                }
            }
        }
    }

    @Command(name = "widget", description = "Show or change the lead widget's form: fields, texts, colour, consent; prints the settings.")
    static final class Widget implements Runnable {
        @ParentCommand
        ChatbotCommand parent;

        @Parameters(paramLabel = "CHATBOT_ID")
        String chatbotId;

        @Option(names = "--field-name", paramLabel = "hidden|optional|required")
        String name;

        @Option(names = "--field-email", paramLabel = "hidden|optional|required")
        String email;

        @Option(names = "--field-phone", paramLabel = "hidden|optional|required",
                description = "Whether the form shows the field and must have it; email and phone cannot both be hidden.")
        String phone;

        @Option(names = "--language", paramLabel = "en|de|fr|es", description = "Language of the built-in texts.")
        String language;

        @Option(names = "--accent-color", paramLabel = "#RRGGBB", description = "Colour of the buttons and links.")
        String accentColor;

        @Option(names = "--submit-text", paramLabel = "TEXT", description = "Same as --text submit=TEXT.")
        String submitText;

        @Option(names = "--success-message", paramLabel = "TEXT", description = "Same as --text success=TEXT.")
        String successMessage;

        @Option(names = "--text", paramLabel = "KEY=TEXT",
                description = "Your wording for one built-in text (title, intro, nameLabel, emailPlaceholder, submit, success, "
                        + "consent, …: the list is printed); repeat for more.")
        List<String> texts;

        @Option(names = "--reset-text", paramLabel = "KEY", description = "Go back to the built-in wording; repeat for more, or 'all'.")
        List<String> resetTexts;

        @Option(names = "--consent-url", paramLabel = "URL|none",
                description = "A privacy policy: the form then has a consent box linking to it that must be ticked.")
        String consentUrl;

        @Option(names = "--redirect-url", paramLabel = "URL|none",
                description = "Where a form posted without JavaScript sends the visitor afterwards.")
        String redirectUrl;

        @Override
        public void run() {
            UnaryOperator<WidgetSettings> change = change();
            try (Chatleads app = parent.root.open()) {
                Chatbot chatbot = Commands.requireChatbot(app, chatbotId);
                WidgetSettings settings = change == null ? app.widgetSettings().find(chatbot.id())
                        : app.widgetSettings().update(chatbot.id(), change)
                        .orElseThrow(() -> Commands.notFound("chatbot", chatbotId));
                print(parent.root.out, settings);
            }
        }

        /** The options as one change, checked before the database opens; null when none is given. */
        private UnaryOperator<WidgetSettings> change() {
            List<UnaryOperator<WidgetSettings>> steps = new ArrayList<>();
            if (name != null || email != null || phone != null) {
                FieldMode nameMode = name == null ? null : FieldMode.parse("--field-name", name);
                FieldMode emailMode = email == null ? null : FieldMode.parse("--field-email", email);
                FieldMode phoneMode = phone == null ? null : FieldMode.parse("--field-phone", phone);
                // All three at once, so that --field-email hidden --field-phone required is one valid change.
                steps.add(s -> s.withFields(nameMode != null ? nameMode : s.name(), emailMode != null ? emailMode : s.email(),
                        phoneMode != null ? phoneMode : s.phone()));
            }
            if (language != null) {
                steps.add(s -> s.withLanguage("--language", language));
            }
            if (accentColor != null) {
                steps.add(s -> s.withAccentColor("--accent-color", accentColor));
            }
            if (resetTexts != null) {
                for (String key : resetTexts) {
                    if (key.strip().equals("all")) {
                        steps.add(s -> {
                            WidgetSettings reset = s;
                            for (String own : s.texts().keySet()) {
                                reset = reset.withText("--reset-text", own, null);
                            }
                            return reset;
                        });
                    } else {
                        steps.add(s -> s.withText("--reset-text", key.strip(), null));
                    }
                }
            }
            if (texts != null) {
                for (String text : texts) {
                    int equals = text.indexOf('=');
                    if (equals < 1) {
                        throw new CliException("--text must be KEY=TEXT, such as --text submit=Send, got '" + text + "'");
                    }
                    String key = text.substring(0, equals).strip();
                    String value = text.substring(equals + 1);
                    steps.add(s -> s.withText("--text " + key, key, value));
                }
            }
            if (submitText != null) {
                steps.add(s -> s.withText("--submit-text", "submit", submitText));
            }
            if (successMessage != null) {
                steps.add(s -> s.withText("--success-message", "success", successMessage));
            }
            if (consentUrl != null) {
                steps.add(s -> s.withConsentUrl("--consent-url", none(consentUrl)));
            }
            if (redirectUrl != null) {
                steps.add(s -> s.withRedirectUrl("--redirect-url", none(redirectUrl)));
            }
            if (steps.isEmpty()) {
                return null;
            }
            // Applied once to the defaults first, so a wrong value fails before the database is opened.
            UnaryOperator<WidgetSettings> all = s -> {
                WidgetSettings changed = s;
                for (UnaryOperator<WidgetSettings> step : steps) {
                    changed = step.apply(changed);
                }
                return changed;
            };
            all.apply(WidgetSettings.defaults());
            return all;
        }

        private static String none(String value) {
            return value.strip().equalsIgnoreCase("none") ? null : value;
        }

        /** One setting a line, tab-separated; texts the owner reworded are marked, the others are built in. */
        private static void print(PrintStream out, WidgetSettings settings) {
            out.println("field-name\t" + settings.name().word());
            out.println("field-email\t" + settings.email().word());
            out.println("field-phone\t" + settings.phone().word());
            out.println("language\t" + settings.language());
            out.println("accent-color\t" + settings.accentColor());
            out.println("consent-url\t" + (settings.consentUrl() == null ? "none" : settings.consentUrl()));
            out.println("redirect-url\t" + (settings.redirectUrl() == null ? "none" : settings.redirectUrl()));
            for (String key : WidgetSettings.textKeys()) {
                out.println("text " + key + "\t" + settings.wording(key) + (settings.texts().containsKey(key) ? "" : "\t(built-in)"));
            }
        }
    }
}
