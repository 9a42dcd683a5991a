package io.chatleads.http;

import io.chatleads.error.InvalidInput;
import java.util.Locale;

/**
 * Text that both databases store exactly as it came. PostgreSQL refuses U+0000 in text outright
 * (a query naming it fails, so it would be a 500), and an unpaired UTF-16 surrogate, which a JSON
 * {@code \ud800} escape can produce, has no UTF-8 form: the drivers store '?' in its place while
 * the answer showed the original. Both are refused up front, naming the field.
 */
public final class StorableText {

    private StorableText() {
    }

    /** {@code value} itself (null included) when it can be stored as it is; otherwise a 400 naming {@code field}. */
    public static String require(String field, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new InvalidInput(field + " must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInput(field + " must be valid Unicode text: it has an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ")");
            }
        }
        return value;
    }
}
