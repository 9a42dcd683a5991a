package io.chatleads.console;

import java.util.List;

/** What each console template is given besides the layout's {@link View}: one record per page. */
final class Views {

    private Views() {
    }

    record SignIn(Form form, String error, boolean signUpAllowed, String next) {
    }

    record SignUp(Form form) {
    }

    record Invite(String token, String email, Form form) {
    }

    record Problem(int status, String heading, String message) {
    }

    record ChatbotRow(String id, String name, String created, String createdUtc, long total, long lastWeek) {
    }

    record Chatbots(List<ChatbotRow> chatbots, Form form) {
    }

    /**
     * {@code snippet}: the script tag a site owner pastes to show this chatbot's widget; {@code widget}: its
     * settings form; {@code widgetRefused}: whether that form was just sent back with errors (nothing saved).
     */
    record ChatbotPage(ChatbotRow chatbot, Form rename, Form delete, String snippet, WidgetSettingsForm widget,
                       boolean widgetRefused) {
    }

    record Choice(String value, String label) {
    }

    /** One of the widget's texts: {@code name} of its input, {@code builtIn} what an empty one means (its placeholder). */
    record WidgetText(String key, String name, String label, String builtIn, boolean wide) {
    }

    /** Name, email or phone: whether it is shown ({@code modeName} of its select), its label and placeholder. */
    record WidgetField(String field, String legend, String modeName, WidgetText label, WidgetText placeholder) {
    }

    /** {@code builtInJson}: every built-in wording by language, for the placeholders to follow the language chosen. */
    record WidgetSettingsForm(Form form, List<WidgetField> fields, List<WidgetText> texts, List<WidgetText> consentTexts,
                              List<WidgetText> moreTexts, List<Choice> languages, String defaultAccent, String builtInJson) {

        /** Whether a text under "More texts" was refused: the section is then drawn open. */
        boolean moreRefused() {
            return moreTexts.stream().anyMatch(text -> form.errorOf(text.name()) != null);
        }
    }

    record LeadRow(long id, String name, String email, String phone, String created, String createdUtc) {
    }

    record Leads(ChatbotRow chatbot, Form filter, List<LeadRow> leads, String nextUrl, String firstUrl, String csvUrl,
                 String timeZone, boolean firstPage) {
    }

    record Erase(ChatbotRow chatbot, LeadRow lead) {
    }

    record Day(String date, long count) {
    }

    record Chart(ChatbotRow chatbot, Form filter, List<Day> days, long total, String timeZone, String dates, String counts) {
    }

    record Capture(ChatbotRow chatbot, Form form) {
    }

    /** {@code shape}: the key's own get-leads response shape ({@code Settings.ResponseEnvelope.value()}), empty for the server's. */
    record KeyRow(String id, String name, String prefix, String created, String lastUsed, String revoked, String shape) {
    }

    /** A choice of get-leads response shape: its value ("" for the server's default) and what the owner reads. */
    record ShapeChoice(String value, String label) {
    }

    record Keys(List<KeyRow> keys, Form form, String createdSecret, String createdName, List<ShapeChoice> shapes) {
    }

    record WebhookRow(String id, String endpoint, String scope, String created) {
    }

    record Webhooks(List<WebhookRow> webhooks, List<ChatbotRow> chatbots, Form form, String createdSecret,
                    String createdEndpoint) {
    }

    record AttemptRow(int attempt, String started, long durationMillis, String outcome) {
    }

    record DeliveryRow(String id, String event, String status, int attempts, String created, String next,
                       String lastError, boolean test, boolean retryable, List<AttemptRow> attemptLog) {
    }

    /**
     * {@code rotated}: the new signing secret just made by "Rotate secret", shown this once (null on any other view);
     * {@code graceHours}: how long a rotated-out secret goes on signing.
     */
    record WebhookPage(WebhookRow webhook, List<DeliveryRow> deliveries, Rotated rotated, int graceHours) {
    }

    /** {@code oldUntil}/{@code oldUntilUtc}: until when the replaced secret still signs; null when it stopped at once. */
    record Rotated(String secret, String oldUntil, String oldUntilUtc) {
    }

    record AccountPage(String email, String timeZone, List<String> zones, Form password, Form zone) {
    }
}
