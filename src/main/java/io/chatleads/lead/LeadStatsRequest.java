package io.chatleads.lead;

import io.chatleads.error.InvalidInput;

import java.time.Clock;
import java.time.LocalDate;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A date range in a time zone, as the lead-stats API and the console's chart and leads table read
 * it: dates in YYYY-MM-DD with get-leads' rules and messages, by default the last 30 days up to
 * today in the zone, at most {@link #MAX_DAYS} days.
 */
public record LeadStatsRequest(LocalDate startDate, LocalDate endDate, ZoneId zone) {

    public static final int DEFAULT_DAYS = 30;
    public static final int MAX_DAYS = 366;

    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    /** Blank values mean "not given". */
    public static LeadStatsRequest of(String startDate, String endDate, String timeZone, Clock clock) {
        ZoneId zone = ZoneId.of(blank(timeZone) ? "UTC" : timeZone("timeZone", timeZone));
        LocalDate end = blank(endDate) ? null : date("endDate", endDate);
        LocalDate start = blank(startDate) ? null : date("startDate", startDate);
        if (end == null) {
            end = start == null ? LocalDate.now(clock.withZone(zone)) : start.plusDays(DEFAULT_DAYS - 1);
        }
        if (start == null) {
            start = end.minusDays(DEFAULT_DAYS - 1);
        }
        if (start.isAfter(end)) {
            throw new InvalidInput("startDate " + start + " is after endDate " + end);
        }
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        if (days > MAX_DAYS) {
            throw new InvalidInput("the range from startDate to endDate may span at most " + MAX_DAYS + " days, got " + days);
        }
        return new LeadStatsRequest(start, end, zone);
    }

    /** The same rule and message as get-leads' startDate and endDate. */
    public static LocalDate date(String name, String value) {
        if (!DATE_SHAPE.matcher(value).matches()) {
            throw new InvalidInput(name + " must be a date in YYYY-MM-DD format, got '" + value + "'");
        }
        try {
            return LocalDate.parse(value, DATE);
        } catch (DateTimeParseException e) {
            throw new InvalidInput(name + " is not a valid calendar date: '" + value + "'");
        }
    }

    /**
     * An IANA time zone id such as Europe/Berlin, as java.time knows it; the one rule for the
     * account form and the lead-stats API's {@code timeZone}. Fixed offsets (+02:00) are refused:
     * they ignore daylight saving time, which is what owners mean by their time zone.
     */
    public static String timeZone(String field, String raw) {
        String value = raw == null ? "" : raw.strip();
        if (value.equalsIgnoreCase("utc")) {
            return "UTC";
        }
        if (!ZONES.contains(value)) {
            // A case slip (europe/berlin) is still clearly meant: accept the zone it names.
            for (String zone : ZONES) {
                if (zone.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                    return zone;
                }
            }
            throw new InvalidInput(field + " must be an IANA time zone such as Europe/Berlin or America/New_York, got '"
                    + raw + "'");
        }
        try {
            return ZoneId.of(value).getId();
        } catch (DateTimeException e) {
            throw new InvalidInput(field + " must be an IANA time zone such as Europe/Berlin, got '" + raw + "'");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
