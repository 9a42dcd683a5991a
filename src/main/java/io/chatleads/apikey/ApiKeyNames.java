package io.chatleads.apikey;

import io.chatleads.error.InvalidInput;

/** The rule for a key's name, the same for the API, the console and {@code key create}. */
public final class ApiKeyNames {

    public static final int MAX_LENGTH = 100;

    private ApiKeyNames() {
    }

    /** The name, stripped; {@link InvalidInput} naming {@code field} (name, --name) otherwise. */
    public static String require(String field, String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            throw new InvalidInput(field + " must be 1 to " + MAX_LENGTH + " characters");
        }
        // `key list` prints one key a line, tab-separated: a tab or line break would break its rows.
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput(field + " must not contain control characters such as tabs or line breaks");
        }
        return name;
    }
}
