package io.chatleads.lead;

import io.chatleads.error.InvalidInput;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The rules every new lead passes, whichever door it comes through (widget, API, command line,
 * import). Each failure is a 400 whose message names the field.
 */
public final class LeadValidator {

    public static final int MAX_EMAIL = 254;
    public static final int MAX_NAME = 200;
    public static final int MAX_CONVERSATION_ID = 128;

    private static final long LAST_SECOND_OF_9999 = 253_402_300_799L;

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private LeadValidator() {
    }

    /** What a caller submitted, before validation; any field may be null. */
    public record Submission(String name, String email, String phone, String conversationId) {
    }

    /**
     * @param defaultRegion ISO 3166 region for phone numbers written without a country code, or
     *                      null to require the +country form
     */
    public static NewLead validate(String chatbotId, String ownerId, Submission submission,
                                   String defaultRegion, Instant createdAt) {
        String name = name(submission.name());
        String email = email(submission.email());
        String phone = phone(submission.phone(), defaultRegion);
        String conversationId = conversationId(submission.conversationId());
        if (email == null && phone == null) {
            throw invalid("email or phone is required");
        }
        return new NewLead(chatbotId, ownerId, name, email, phone, conversationId, createdAt);
    }

    static String name(String raw) {
        String name = trimToNull(raw);
        if (name == null) {
            return null;
        }
        if (name.length() > MAX_NAME) {
            throw invalid("name must be at most " + MAX_NAME + " characters");
        }
        if (hasControl(name)) {
            throw invalid("name must not contain control characters");
        }
        return name;
    }

    public static String email(String raw) {
        String email = trimToNull(raw);
        if (email == null) {
            return null;
        }
        if (email.length() > MAX_EMAIL) {
            throw invalid("email must be at most " + MAX_EMAIL + " characters");
        }
        if (!isEmailShape(email)) {
            throw invalid("email is not a valid address: '" + email + "'");
        }
        int at = email.lastIndexOf('@');
        // The local part may be case-sensitive; the domain never is.
        return email.substring(0, at + 1) + email.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    static String phone(String raw, String defaultRegion) {
        String phone = trimToNull(raw);
        if (phone == null) {
            return null;
        }
        if (phone.length() > 64) {
            throw invalid("phone must be at most 64 characters");
        }
        String e164 = PhoneFastPath.e164(phone, defaultRegion);
        if (e164 != null) {
            return e164;
        }
        PhoneNumber number;
        try {
            number = PHONES.parse(phone, defaultRegion == null ? "ZZ" : defaultRegion);
        } catch (NumberParseException e) {
            String hint = defaultRegion == null && !phone.startsWith("+")
                    ? " (write it with its +country code)" : "";
            throw invalid("phone is not a valid phone number: '" + phone + "'" + hint);
        }
        if (!PHONES.isValidNumber(number)) {
            throw invalid("phone is not a valid phone number: '" + phone + "'");
        }
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /**
     * Deliberately a shape check, not RFC 5322: one @, a dot-separated domain, no spaces or
     * controls. Exactly the strings the regular expression
     * {@code [^@\s\p{Cntrl}]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}}
     * matches, written out by hand because the regex was a tenth of a bulk import's CPU
     * (LeadValidatorEquivalenceTest holds the two together).
     */
    static boolean isEmailShape(String email) {
        int at = email.indexOf('@');
        if (at <= 0) {
            return false;
        }
        // The local part: anything but @ (it ends at the first one), whitespace and control
        // characters, which for the regex's ASCII classes \s and \p{Cntrl} is 0x00-0x20 and 0x7F.
        for (int i = 0; i < at; i++) {
            char c = email.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                return false;
            }
        }
        // The domain: labels followed by dots, then a top-level domain of 2 to 63 ASCII letters.
        int lastDot = email.lastIndexOf('.');
        if (lastDot <= at + 1) {
            return false;
        }
        int tld = email.length() - lastDot - 1;
        if (tld < 2 || tld > 63) {
            return false;
        }
        for (int i = lastDot + 1; i < email.length(); i++) {
            if (!isAsciiLetter(email.charAt(i))) {
                return false;
            }
        }
        // Each label: 1 to 63 of letters, digits and hyphens, not starting or ending with a hyphen.
        int start = at + 1;
        while (true) {
            int end = email.indexOf('.', start);
            int labelLength = end - start;
            if (labelLength < 1 || labelLength > 63
                    || email.charAt(start) == '-' || email.charAt(end - 1) == '-') {
                return false;
            }
            for (int i = start; i < end; i++) {
                char c = email.charAt(i);
                if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '-') {
                    return false;
                }
            }
            if (end == lastDot) {
                return true;
            }
            start = end + 1;
        }
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Whether the text has a character of the ASCII class \p{Cntrl}: 0x00-0x1F or 0x7F. */
    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    static String conversationId(String raw) {
        String id = trimToNull(raw);
        if (id != null && id.length() > MAX_CONVERSATION_ID) {
            throw invalid("conversationId must be at most " + MAX_CONVERSATION_ID + " characters");
        }
        return id;
    }

    /**
     * A lead's creation time as an owner may set it (API {@code createdAt}, import {@code created_at},
     * {@code lead add --created-at}): an ISO-8601 instant from 1970 to 9999, what epoch-millisecond
     * columns and four-digit-year output can carry. {@code field} names it in the 400.
     */
    public static Instant createdAt(String field, String raw) {
        Instant value;
        try {
            value = IsoInstant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw invalid(field + " must be an ISO-8601 instant such as 2024-05-01T12:00:00Z, got '" + raw + "'");
        }
        if (value.isBefore(Instant.EPOCH) || value.getEpochSecond() > LAST_SECOND_OF_9999) {
            throw invalid(field + " must be between 1970 and 9999, got '" + raw + "'");
        }
        return value;
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static InvalidInput invalid(String message) {
        return new InvalidInput(message);
    }
}
