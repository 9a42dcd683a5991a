package io.chatleads.console;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a form showed or was sent with, and what was wrong with each field: a refused form is drawn
 * again with the values typed (never a password) and each message beside its field.
 */
final class Form {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    static Form empty() {
        return new Form();
    }

    Form with(String field, String value) {
        values.put(field, value);
        return this;
    }

    Form error(String field, String message) {
        errors.put(field, message);
        return this;
    }

    /** The value to show in the field, "" when none. */
    String value(String field) {
        String value = values.get(field);
        return value == null ? "" : value;
    }

    /** The message to show beside the field, null when it is fine. */
    String errorOf(String field) {
        return errors.get(field);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The id of the field's message, for aria-describedby; null when it has none. */
    String describedBy(String field) {
        return errors.containsKey(field) ? field + "-error" : null;
    }
}
