package io.chatleads.lead;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.chatleads.http.ApiException;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules every new lead passes, whichever door it comes through (widget, API, command line,
 * import). Each failure is a 400 whose message names the field.
 */
public final class LeadValidator {

    public static final int MAX_EMAIL = 254;
    public static final int MAX_NAME = 200;
    public static final int MAX_CONVERSATION_ID = 128;

    // Deliberately a shape check, not RFC 5322: one @, a dot-separated domain, no spaces or controls.
    private static final Pattern EMAIL = Pattern.compile(
            "[^@\\s\\p{Cntrl}]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
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
        if (CONTROL.matcher(name).find()) {
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
        if (!EMAIL.matcher(email).matches()) {
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

    static String conversationId(String raw) {
        String id = trimToNull(raw);
        if (id != null && id.length() > MAX_CONVERSATION_ID) {
            throw invalid("conversationId must be at most " + MAX_CONVERSATION_ID + " characters");
        }
        return id;
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest(message);
    }
}
