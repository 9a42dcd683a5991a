package io.chatleads.console;

import java.util.Map;

/**
 * The one-line confirmations shown after an action, named in the redirect as {@code ?notice=code}:
 * only these fixed texts are ever shown, never text taken from the address.
 */
final class Notices {

    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("welcome", "Your password is set. Welcome."),
            Map.entry("created", "Chatbot created."),
            Map.entry("renamed", "Chatbot renamed."),
            Map.entry("deleted", "Chatbot deleted, with its leads."),
            Map.entry("saved", "Capture settings saved."),
            Map.entry("widget-saved", "Widget settings saved: the preview shows them, and visitors' browsers get them within a minute."),
            Map.entry("erased", "Lead erased."),
            Map.entry("revoked", "Key revoked: it stops working at once."),
            Map.entry("key-shape", "Response shape saved: the key answers in it within seconds."),
            Map.entry("webhook-deleted", "Webhook deleted."),
            Map.entry("test-sent", "Test event queued: it appears below within a few seconds."),
            Map.entry("retried", "Delivery scheduled again."),
            Map.entry("password", "Password changed. Every other session was signed out."),
            Map.entry("time-zone", "Time zone saved."));

    private Notices() {
    }

    static String text(String code) {
        return code == null ? null : TEXTS.get(code);
    }
}
