package io.chatleads;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How chatleads writes an instant everywhere it shows one (API answers, webhook bodies, exports,
 * the command line): ISO-8601 in UTC with exactly three fraction digits, as the hosted API does.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** Always three fraction digits and a Z, unlike ISO_INSTANT, which drops a zero fraction. */
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static String format(Instant instant) {
        long millis;
        try {
            millis = instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return CREATED_AT.format(instant);
        }
        // The formatter costs about a microsecond and several objects per call, which showed in
        // the get-leads profile; this computes the same text by arithmetic for 1970 to 9999.
        if (millis < 0 || millis > MAX_FAST_MILLIS) {
            return CREATED_AT.format(instant);
        }
        return formatEpochMillis(millis);
    }

    private static final long MAX_FAST_MILLIS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z

    /** Days since 1970-01-01 to a civil date: Howard Hinnant's days_from_civil inverse. */
    static String formatEpochMillis(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        int msOfDay = (int) Math.floorMod(millis, 86_400_000L);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        char[] text = new char[24];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, month, 2);
        text[7] = '-';
        digits(text, 8, day, 2);
        text[10] = 'T';
        digits(text, 11, msOfDay / 3_600_000, 2);
        text[13] = ':';
        digits(text, 14, msOfDay / 60_000 % 60, 2);
        text[16] = ':';
        digits(text, 17, msOfDay / 1000 % 60, 2);
        text[19] = '.';
        digits(text, 20, msOfDay % 1000, 3);
        text[23] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
