package io.chatleads.lead;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;

/**
 * A shortcut through libphonenumber for the commonest spelling of a phone number: {@code +}, then
 * only ASCII digits, spaces, dashes, dots and parentheses, ending in a digit ({@code +1 415 555 0001},
 * {@code +44 (20) 7946-0958}). About half of a bulk import's CPU went into
 * {@code PhoneNumberUtil.parse}, almost all of it in regular expressions (extension, viability) that
 * cannot match such a string.
 *
 * <p>For that shape this class takes exactly the steps {@code PhoneNumberUtil.parse} (9.0.x,
 * {@code parseHelper}) takes, without those expressions: the string has no RFC 3966 parameters, no
 * extension, no letters, no trailing junk, and its leading {@code +} means the country code comes
 * from the digits (the default region only matters for numbers without {@code +}). The country code
 * is the first 1 to 3 digits that libphonenumber knows; the national number is the rest. Then the
 * number is checked with libphonenumber's own {@code isValidNumber}, and the E.164 form is
 * {@code +}, country code, national number: what {@code format(number, E164)} writes, leading zeros
 * included.
 *
 * <p>It answers only when the number is certainly valid. Anything else, including every case where
 * parse would strip a national prefix or fail, returns null and the caller takes the full path, which
 * therefore produces every rejection and its message. {@code LeadValidatorEquivalenceTest} compares
 * both paths over many inputs.
 */
final class PhoneFastPath {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** The same metadata files the PhoneNumberUtil instance reads; used for two fields it keeps private. */
    private static final MetadataSource METADATA =
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    private static final String NON_GEO = PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY;
    private static final int MIN_NSN = 2;
    private static final int MAX_NSN = 17;
    private static final boolean[] KNOWN = new boolean[1000];
    /** Per calling code, built on first use (no cache keyed on input: one entry per country). */
    private static final AtomicReferenceArray<CallingCode> CODES = new AtomicReferenceArray<>(1000);

    static {
        for (int code : PHONES.getSupportedCallingCodes()) {
            KNOWN[code] = true;
        }
    }

    /**
     * @param nationalPrefix the main region's national-prefix-for-parsing pattern, or null if none
     * @param firstRegion    the first region of a shared calling code when it has no leading-digits
     *                       rule, so that a number valid there is valid overall; null otherwise
     */
    private record CallingCode(Pattern nationalPrefix, String firstRegion) {
    }

    private PhoneFastPath() {
    }

    /** The E.164 form of {@code phone} (stripped, non-empty), or null: take the full libphonenumber path. */
    static String e164(String phone, String defaultRegion) {
        int length = phone.length();
        // With "001" as the default region parse skips national-prefix handling for non-geographic
        // codes; rare enough to leave to the full path.
        if (length < 4 || length > 64 || phone.charAt(0) != '+' || NON_GEO.equals(defaultRegion)) {
            return null;
        }
        char last = phone.charAt(length - 1);
        if (last < '0' || last > '9') {
            return null;
        }
        char[] digits = new char[length - 1];
        int count = 0;
        for (int i = 1; i < length; i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                digits[count++] = c;
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                return null;
            }
        }
        // parse: more than 2 digits after the +, and a country code never starts with 0.
        if (count <= MIN_NSN || digits[0] == '0') {
            return null;
        }
        int code = 0;
        int codeLength = 0;
        for (int i = 1; i <= 3 && i <= count; i++) {
            code = code * 10 + (digits[i - 1] - '0');
            if (KNOWN[code]) {
                codeLength = i;
                break;
            }
        }
        if (codeLength == 0) {
            return null;
        }
        int nsnLength = count - codeLength;
        if (nsnLength < MIN_NSN || nsnLength > MAX_NSN) {
            return null;
        }
        String nsn = new String(digits, codeLength, nsnLength);
        CallingCode info = callingCode(code);
        // parse may strip a national prefix here (and then tests lengths, transforms...): full path.
        if (info.nationalPrefix() != null && info.nationalPrefix().matcher(nsn).lookingAt()) {
            return null;
        }
        PhoneNumber number = new PhoneNumber().setCountryCode(code);
        setItalianLeadingZeros(nsn, number);
        number.setNationalNumber(Long.parseLong(nsn));
        boolean valid = info.firstRegion() != null && PHONES.isValidNumberForRegion(number, info.firstRegion())
                || PHONES.isValidNumber(number);
        if (!valid) {
            return null;
        }
        // format(E164): "+", the calling code, then the national significant number, which is the
        // leading zeros recorded above followed by the national number: the digits of nsn.
        return new StringBuilder(2 + codeLength + nsnLength).append('+').append(code).append(nsn).toString();
    }

    /** PhoneNumberUtil.setItalianLeadingZerosForPhoneNumber, which is package-private. */
    private static void setItalianLeadingZeros(String nsn, PhoneNumber number) {
        if (nsn.length() > 1 && nsn.charAt(0) == '0') {
            number.setItalianLeadingZero(true);
            int zeros = 1;
            while (zeros < nsn.length() - 1 && nsn.charAt(zeros) == '0') {
                zeros++;
            }
            if (zeros != 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
    }

    private static CallingCode callingCode(int code) {
        CallingCode info = CODES.get(code);
        if (info == null) {
            info = load(code);
            CODES.compareAndSet(code, null, info);
        }
        return info;
    }

    private static CallingCode load(int code) {
        List<String> regions = PHONES.getRegionCodesForCountryCode(code);
        String main = regions.get(0);
        // parse uses the main region's metadata (or the non-geographic entity's) for the national prefix.
        PhoneMetadata metadata = NON_GEO.equals(main)
                ? METADATA.getMetadataForNonGeographicalRegion(code)
                : METADATA.getMetadataForRegion(main);
        String prefix = metadata.getNationalPrefixForParsing();
        Pattern nationalPrefix = prefix == null || prefix.isEmpty() ? null : Pattern.compile(prefix);
        // isValidNumber picks the region of a shared code by trying the regions in order; the first
        // is picked without further test when it has no leading-digits rule and the number is valid
        // there, so "valid in the first region" implies "valid". Otherwise isValidNumber decides.
        String firstRegion = null;
        if (regions.size() > 1 && !NON_GEO.equals(main) && !metadata.hasLeadingDigits()) {
            firstRegion = main;
        }
        return new CallingCode(nationalPrefix, firstRegion);
    }
}
