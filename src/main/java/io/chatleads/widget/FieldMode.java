package io.chatleads.widget;

import io.chatleads.error.InvalidInput;

import java.util.Locale;

/** Whether the form shows a field, and whether the visitor must fill it in. */
public enum FieldMode {
    HIDDEN, OPTIONAL, REQUIRED;

    /** As written in JSON and on the command line. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean shown() {
        return this != HIDDEN;
    }

    /** {@code hidden}, {@code optional} or {@code required}, in any case; an {@link InvalidInput} naming {@code field} otherwise. */
    public static FieldMode parse(String field, String raw) {
        if (raw != null) {
            for (FieldMode mode : values()) {
                if (mode.word().equalsIgnoreCase(raw.strip())) {
                    return mode;
                }
            }
        }
        throw new InvalidInput(field + " must be hidden, optional or required, got '" + raw + "'");
    }
}
