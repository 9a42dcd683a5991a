package io.chatleads.lead;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.chatleads.error.InvalidInput;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The import's fast paths (phone, email, name, timestamps) against the code they replaced, kept
 * here verbatim as the reference: for every input both must give the same value or the same
 * error message.
 */
class LeadValidatorEquivalenceTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    // The fast path only looks at the default region to step aside for "001"; the others matter to
    // the full path, shared by both sides, and are kept few because the reference parse is slow.
    private static final String[] REGIONS = {null, "US", "GB", "IT", "AR", "RU", "ZZ", "001", "us"};

    // ---- the reference: LeadValidator as it was before the fast paths ----

    private static final Pattern EMAIL = Pattern.compile(
            "[^@\\s\\p{Cntrl}]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    static String referenceName(String raw) {
        String name = trimToNull(raw);
        if (name == null) {
            return null;
        }
        if (name.length() > LeadValidator.MAX_NAME) {
            throw new InvalidInput("name must be at most " + LeadValidator.MAX_NAME + " characters");
        }
        if (CONTROL.matcher(name).find()) {
            throw new InvalidInput("name must not contain control characters");
        }
        return name;
    }

    static String referenceEmail(String raw) {
        String email = trimToNull(raw);
        if (email == null) {
            return null;
        }
        if (email.length() > LeadValidator.MAX_EMAIL) {
            throw new InvalidInput("email must be at most " + LeadValidator.MAX_EMAIL + " characters");
        }
        if (!EMAIL.matcher(email).matches()) {
            throw new InvalidInput("email is not a valid address: '" + email + "'");
        }
        int at = email.lastIndexOf('@');
        return email.substring(0, at + 1) + email.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    static String referencePhone(String raw, String defaultRegion) {
        String phone = trimToNull(raw);
        if (phone == null) {
            return null;
        }
        if (phone.length() > 64) {
            throw new InvalidInput("phone must be at most 64 characters");
        }
        PhoneNumber number;
        try {
            number = PHONES.parse(phone, defaultRegion == null ? "ZZ" : defaultRegion);
        } catch (NumberParseException e) {
            String hint = defaultRegion == null && !phone.startsWith("+")
                    ? " (write it with its +country code)" : "";
            throw new InvalidInput("phone is not a valid phone number: '" + phone + "'" + hint);
        }
        if (!PHONES.isValidNumber(number)) {
            throw new InvalidInput("phone is not a valid phone number: '" + phone + "'");
        }
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    // ---- helpers ----

    private interface Call {
        String run();
    }

    private static String outcome(Call call) {
        try {
            return "ok:" + call.run();
        } catch (InvalidInput e) {
            return "error:" + e.getMessage();
        }
    }

    // ---- phone ----

    @Test
    void phoneMatchesLibphonenumberOnExamplesOfEveryRegionAndType() {
        Set<String> inputs = new LinkedHashSet<>();
        List<PhoneNumber> examples = new ArrayList<>();
        for (String region : new TreeSet<>(PHONES.getSupportedRegions())) {
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = PHONES.getExampleNumberForType(region, type);
                if (example != null) {
                    examples.add(example);
                }
            }
            PhoneNumber invalid = PHONES.getInvalidExampleNumber(region);
            if (invalid != null) {
                examples.add(invalid);
            }
        }
        for (int code : new TreeSet<>(PHONES.getSupportedGlobalNetworkCallingCodes())) {
            PhoneNumber example = PHONES.getExampleNumberForNonGeoEntity(code);
            if (example != null) {
                examples.add(example);
            }
        }
        Random random = new Random(42);
        for (PhoneNumber example : examples) {
            for (PhoneNumberFormat format : PhoneNumberFormat.values()) {
                String text = PHONES.format(example, format);
                inputs.addAll(spellings(text, random));
            }
            // National prefix or stray zero after the country code: parse strips or keeps it.
            String nsn = PHONES.getNationalSignificantNumber(example);
            inputs.add("+" + example.getCountryCode() + " 0" + nsn);
            inputs.add("+" + example.getCountryCode() + "0" + nsn);
            inputs.add("+" + example.getCountryCode() + "00" + nsn);
            String prefix = PHONES.getNddPrefixForRegion(PHONES.getRegionCodeForCountryCode(example.getCountryCode()), true);
            if (prefix != null) {
                inputs.add("+" + example.getCountryCode() + " " + prefix + " " + nsn);
                inputs.add("+" + example.getCountryCode() + prefix + nsn);
            }
        }
        assertTrue(inputs.size() > 10_000, "inputs: " + inputs.size());
        int fast = comparePhones(inputs);
        assertTrue(fast > 2_000, "the fast path answered only " + fast + " inputs");
    }

    @Test
    void phoneMatchesLibphonenumberOnRandomAndHandPickedInputs() {
        Set<String> inputs = new LinkedHashSet<>(List.of(
                "+1 415 555 0001", "+1 415 555 0000", "+14155550001", "+1-415-555-0001", "+1 (415) 555-0001",
                "+1.415.555.0001", "+1 415 555 0001)", "(+1) 415 555 0001", "+1 415 555 0001 ext 12",
                "+1 415 555 0001 x12", "+1 415 555 0001#", "+1 415 555 0001;ext=12", "+1 415 555 00 01 - 503#",
                "+1 415 FLOWERS", "+1 800 FLOWERS", "+1 1 415 555 0001", "+11 415 555 0001", "+1 415 555 000",
                "+1 415 555 00011", "+1 212 555 0123", "+1 604 555 0123", "+1 242 357 1234", "+1 868 555 0123",
                "+39 06 1234 5678", "+39 06 12345678", "+39 0 6 1234 5678", "+390612345678", "+39 3123456789",
                "+39 312 345 6789", "+39 0", "+39 00", "+39 000", "+39 0000000", "+379 123", "+39 066 9812345",
                "+44 20 7946 0958", "+44 (0) 20 7946 0958", "+44 020 7946 0958", "+44 7911 123456", "+447911123456",
                "+49 30 123456", "+49 030 123456", "+49 (0)30 123456", "+33 1 23 45 67 89", "+33 01 23 45 67 89",
                "+54 9 11 1234 5678", "+54 11 1234 5678", "+54 0 11 15 1234 5678", "+52 1 55 1234 5678",
                "+52 55 1234 5678", "+7 495 123 45 67", "+7 701 123 4567", "+7 8 495 123 45 67", "+61 2 1234 5678",
                "+61 0 2 1234 5678", "+800 1234 5678", "+808 1234 5678", "+870 301 234 567", "+878 10 123 456 7890",
                "+881 6 123 456 789", "+882 34 5678 9012", "+883 510 012 345", "+888 123 456 789", "+979 1 234 5678",
                "+0 415 555 0001", "+ 1 415 555 0001", "++1 415 555 0001", "+", "++", "+1", "+12", "+123", "+1234",
                "+1 2", "+1 23", "+999 123 456", "+210 123 456", "+1 415 555 0001 2", "+1 415 555 0001 23 45 67 89 01",
                "+1234567890123456789012", "00 1 415 555 0001", "001 415 555 0001", "011 1 415 555 0001",
                "415 555 0001", "(415) 555-0001", "1 415 555 0001", "4155550001", "0612345678", "06 1234 5678",
                "020 7946 0958", "07911 123456", "+１ ４１５ ５５５ ０００１", "＋1 415 555 0001", "+1 415 555 0001\u00A0",
                "+1\u2010415\u2010555\u20100001", "+1 415 555 0001 / x 12", "+1 415 555 0001\\x12", "tel:+1-415-555-0001",
                "tel:+1-415-555-0001;phone-context=+1", "+1-415-555-0001;isub=12", "+1 415 555 0001;phone-context=",
                "+1 415 555 0001 , 12", "+1 415 555 0001,,12", "+1 415 555 0001 ;12", "+1 415 555 0001 int 12",
                "+1 415 555 0001 ext. 12#", "+1 415 555 0001 anexo 12", "+1 415 555 0001 доб 12", "+1 415 555 0001~12",
                "+1 415 555 0001 *", "+1 415 555 0001*", "+1 *415 555 0001", "+1 [415] 555 0001", "+1 415/555/0001",
                "+1 415 555 0001 abc", "+1 abc 415 555 0001", "abc", "a", "1", "12", "x", "+x", "+1x", "-+1 415 555 0001",
                ".+1 415 555 0001", "(+1 415 555 0001)", "+1 415 555 0001.", "+1 415 555 0001-", "+1 415 555 0001 ("));
        Random random = new Random(7);
        int[] codes = PHONES.getSupportedCallingCodes().stream().mapToInt(Integer::intValue).sorted().toArray();
        String separators = "    --..()";
        for (int i = 0; i < 25_000; i++) {
            StringBuilder phone = new StringBuilder("+");
            int code = random.nextInt(4) == 0 ? random.nextInt(1000) : codes[random.nextInt(codes.length)];
            phone.append(code);
            int digits = 1 + random.nextInt(19);
            for (int d = 0; d < digits; d++) {
                if (random.nextInt(4) == 0) {
                    phone.append(separators.charAt(random.nextInt(separators.length())));
                }
                // Zeros and ones more often: national prefixes, Italian leading zeros.
                int r = random.nextInt(14);
                phone.append(r >= 10 ? (r % 2 == 0 ? '0' : '1') : (char) ('0' + r));
            }
            inputs.add(phone.toString());
        }
        int fast = comparePhones(inputs);
        assertTrue(fast > 1_000, "the fast path answered only " + fast + " inputs");
    }

    /** Compares both implementations for every input and region; returns how many the fast path answered. */
    private static int comparePhones(Set<String> inputs) {
        int fast = 0;
        List<String> mismatches = new ArrayList<>();
        for (String input : inputs) {
            for (String region : REGIONS) {
                String expected = outcome(() -> referencePhone(input, region));
                String actual = outcome(() -> LeadValidator.phone(input, region));
                if (!expected.equals(actual)) {
                    mismatches.add("'" + input + "' region " + region + ": expected " + expected + ", got " + actual);
                }
                String stripped = input.strip();
                if (!stripped.isEmpty() && stripped.length() <= 64 && PhoneFastPath.e164(stripped, region) != null) {
                    fast++;
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " mismatches, first: " + mismatches.subList(0, Math.min(20, mismatches.size())));
        }
        return fast;
    }

    /** The text as written plus other spellings: separators, parentheses, no plus, 00, damaged digits. */
    private static List<String> spellings(String text, Random random) {
        List<String> out = new ArrayList<>();
        out.add(text);
        out.add(text.replace(" ", ""));
        out.add(text.replace(" ", "-"));
        out.add(text.replace(" ", "."));
        out.add(text.replace("-", " "));
        out.add(" " + text + " ");
        if (text.startsWith("+")) {
            out.add(text.substring(1));
            out.add("00" + text.substring(1));
            out.add("+" + text);
            int space = text.indexOf(' ');
            if (space > 0) {
                int next = text.indexOf(' ', space + 1);
                if (next > 0) {
                    out.add(text.substring(0, space + 1) + "(" + text.substring(space + 1, next) + ")" + text.substring(next));
                }
            }
        }
        out.add(text + " ext 123");
        out.add(text + " x9");
        out.add(text + "#");
        char[] chars = text.toCharArray();
        List<Integer> digitPositions = new ArrayList<>();
        for (int i = 0; i < chars.length; i++) {
            if (Character.isDigit(chars[i])) {
                digitPositions.add(i);
            }
        }
        if (!digitPositions.isEmpty()) {
            for (int k = 0; k < 3; k++) {
                char[] changed = chars.clone();
                changed[digitPositions.get(random.nextInt(digitPositions.size()))] = (char) ('0' + random.nextInt(10));
                out.add(new String(changed));
            }
            int last = digitPositions.get(digitPositions.size() - 1);
            out.add(text.substring(0, last) + text.substring(last + 1));
            out.add(text + random.nextInt(10));
            out.add(text + random.nextInt(10) + random.nextInt(10));
        }
        return out;
    }

    // ---- email and name ----

    @Test
    void emailShapeMatchesTheRegexForEveryCharacterInEveryPosition() {
        List<String> mismatches = new ArrayList<>();
        for (int c = 0; c <= 0xFFFF; c++) {
            String ch = String.valueOf((char) c);
            for (String email : List.of(ch + "@example.com", "a" + ch + "b@example.com", "a@" + ch + ".com",
                    "a@e" + ch + "x.com", "a@ex." + ch + "m", "a@ex.c" + ch, "a@ex.co" + ch, ch, "a@b.c" + ch + "m")) {
                compareEmail(email, mismatches);
            }
        }
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " mismatches, first: " + mismatches.subList(0, Math.min(20, mismatches.size())));
    }

    @Test
    void emailShapeMatchesTheRegexOnStructuredAndRandomInputs() {
        List<String> mismatches = new ArrayList<>();
        List<String> inputs = new ArrayList<>(List.of("Lead.1@Example.COM", "a@b.co", "a@b.c", "@b.co", "a@.co", "a@b..co",
                "a@b.co.", "a@-b.co", "a@b-.co", "a@b-c.co", "a@b--c.co", "a@b.c-o", "a@b.co1", "a@1.co", "a@b.1co",
                "a@@b.co", "a@b@c.co", "a b@c.co", "a@b c.co", "a\u0000@b.co", "a\u007f@b.co", "a\u0085@b.co",
                "a\u00a0@b.co", "a\u2028@b.co", "é@b.co", "a@é.co", "a@b.çom", "\uD83D\uDE00@b.co", "\uD83D@b.co",
                "a@b.co\n", "\ta@b.co", "a@" + "x".repeat(63) + ".co", "a@" + "x".repeat(64) + ".co",
                "a@x" + "-".repeat(61) + "x.co", "a@x" + "-".repeat(62) + "x.co", "a@b." + "c".repeat(63),
                "a@b." + "c".repeat(64), "a@b.cc.dd.ee", "a@b", "a@", "a", "", ".", "a.b@c.d.ef", "a@B.CO", "A@b.Co"));
        Random random = new Random(11);
        String alphabet = "aZ09-.@. @\t\u007f\u0085é_+\uD83D\uDE00xyQ-";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(16);
            for (int k = 0; k < length; k++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            inputs.add(s.toString());
            // Mostly well formed, with one random change.
            StringBuilder w = new StringBuilder("user" + random.nextInt(100) + "@" + "ab-c".substring(random.nextInt(3))
                    + (random.nextBoolean() ? ".sub" : "") + ".co" + (random.nextBoolean() ? "m" : ""));
            w.setCharAt(random.nextInt(w.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            inputs.add(w.toString());
        }
        for (String email : inputs) {
            compareEmail(email, mismatches);
        }
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " mismatches, first: " + mismatches.subList(0, Math.min(20, mismatches.size())));
    }

    private static void compareEmail(String email, List<String> mismatches) {
        boolean expected = EMAIL.matcher(email).matches();
        if (LeadValidator.isEmailShape(email) != expected) {
            mismatches.add(escape(email) + " regex " + expected);
        }
        String reference = outcome(() -> referenceEmail(email));
        String actual = outcome(() -> LeadValidator.email(email));
        if (!reference.equals(actual)) {
            mismatches.add(escape(email) + ": expected " + reference + ", got " + actual);
        }
    }

    @Test
    void nameMatchesTheControlRegexForEveryCharacter() {
        for (int c = 0; c <= 0xFFFF; c++) {
            for (String name : List.of("a" + (char) c + "b", "Lead " + (char) c, String.valueOf((char) c))) {
                assertEquals(outcome(() -> referenceName(name)), outcome(() -> LeadValidator.name(name)), escape(name));
            }
        }
        for (String name : List.of("", " ", "x".repeat(200), "x".repeat(201), " Lead 1 ", "\uD83D\uDE00", "a\uDE00")) {
            assertEquals(outcome(() -> referenceName(name)), outcome(() -> LeadValidator.name(name)), escape(name));
        }
    }

    // ---- timestamps ----

    @Test
    void isoInstantMatchesInstantParse() {
        List<String> inputs = new ArrayList<>(List.of("2024-02-01T00:00:00Z", "2024-02-01T00:00:00.000Z",
                "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2100-02-29T12:00:00Z", "2000-02-29T12:00:00Z",
                "2024-04-31T00:00:00Z", "2024-12-31T23:59:59.999999999Z", "2024-12-31T23:59:59.9999999999Z",
                "2024-12-31T23:59:60Z", "2024-12-31T24:00:00Z", "2024-12-31T24:00:01Z", "2024-12-31T24:00:00.1Z",
                "2024-00-10T00:00:00Z", "2024-13-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-32T00:00:00Z",
                "2024-01-01T00:60:00Z", "2024-01-01T00:00:61Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
                "2024-02-01t00:00:00z", "2024-02-01T00:00:00z", "2024-02-01t00:00:00Z", "2024-02-01T00:00:00.Z",
                "2024-02-01T00:00:00,5Z", "2024-02-01T00:00:00+00:00", "2024-02-01T00:00:00+01:00",
                "2024-02-01T00:00:00.5+01:00", "2024-02-01T00:00Z", "2024-02-01 00:00:00Z", "2024-02-01T00:00:00",
                "2024-2-01T00:00:00Z", "2024-02-01T0:00:00Z", "20240201T000000Z", "2024-02-01T00:00:00.1234Z",
                "2024-02-01T00:00:00.12345678Z", "2024-02-01T00:00:00.123456789Z", "２０２４-02-01T00:00:00Z",
                "2024-02-01T00:00:00ZZ", "2024-02-01T00:00:00.5ZZ", "", "Z", "2024", "2024-02-01",
                "2024-02-01T00:00:00.+5Z", "2024-02-01T00:00:00.-5Z", "2024-02-01T00:00:00. 5Z"));
        Random random = new Random(3);
        String alphabet = "0123456789-:.TZtz+ ,";
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong() % 253_402_300_800L;
            if (random.nextInt(4) == 0) {
                seconds = 1_700_000_000L + random.nextInt(200_000_000);
            }
            Instant instant = Instant.ofEpochSecond(Math.abs(seconds));
            String text = instant.toString();
            int fraction = random.nextInt(11);
            if (fraction > 0) {
                StringBuilder digits = new StringBuilder(".");
                for (int k = 0; k < fraction; k++) {
                    digits.append(random.nextInt(10));
                }
                text = text.substring(0, text.length() - 1) + digits + "Z";
            }
            inputs.add(text);
            char[] chars = text.toCharArray();
            int position = random.nextInt(chars.length);
            chars[position] = alphabet.charAt(random.nextInt(alphabet.length()));
            inputs.add(new String(chars));
            // Out-of-range fields in an otherwise good shape.
            inputs.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%sZ", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62),
                    random.nextBoolean() ? "" : "." + random.nextInt(1000)));
        }
        for (String text : inputs) {
            assertEquals(instantOutcome(() -> Instant.parse(text)), instantOutcome(() -> IsoInstant.parse(text)), text);
        }
    }

    private interface InstantCall {
        Instant run();
    }

    private static String instantOutcome(InstantCall call) {
        try {
            Instant value = call.run();
            return "ok:" + value.getEpochSecond() + "/" + value.getNano();
        } catch (DateTimeParseException e) {
            return "error:" + e.getMessage() + "@" + e.getErrorIndex();
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
