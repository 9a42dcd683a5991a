package io.chatleads.lead;

import io.chatleads.error.InvalidInput;
import io.chatleads.http.RequestParams;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/** The validated parameters of a get-leads call; every rule that rejects one names it in a 400. */
record GetLeadsRequest(
        String chatbotId,
        Optional<LocalDate> startDate,
        Optional<LocalDate> endDate,
        int page,
        int size,
        Optional<LeadCursor> cursor) {

    public static final int MAX_SIZE = 1000;
    public static final int DEFAULT_SIZE = 10;

    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");

    public static GetLeadsRequest parse(RequestParams params) {
        String chatbotId = params.get("chatbotId").map(String::strip).orElse("");
        if (chatbotId.isEmpty()) {
            throw new InvalidInput("chatbotId is required");
        }
        Optional<LocalDate> startDate = date(params, "startDate");
        Optional<LocalDate> endDate = date(params, "endDate");
        if (startDate.isPresent() && endDate.isPresent() && startDate.get().isAfter(endDate.get())) {
            throw new InvalidInput("startDate " + startDate.get() + " is after endDate " + endDate.get());
        }
        int page = positiveInt(params, "page", 1, Integer.MAX_VALUE);
        int size = positiveInt(params, "size", DEFAULT_SIZE, MAX_SIZE);
        // Our extension (docs/performance.md): when present it, not page, says where the page starts.
        Optional<LeadCursor> cursor = params.get("cursor").map(LeadCursor::decode);
        return new GetLeadsRequest(chatbotId, startDate, endDate, page, size, cursor);
    }

    /** 00:00:00.000Z of startDate, or the beginning of time. */
    public long fromMillis() {
        return startDate.map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()).orElse(Long.MIN_VALUE);
    }

    /** The last millisecond of endDate (UTC), or the end of time. */
    public long toMillis() {
        return endDate.map(d -> d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1)
                .orElse(Long.MAX_VALUE);
    }

    /** The page as {@code ownerId}, the caller's key's owner, may see it. */
    public LeadPageQuery pageQuery(String ownerId) {
        return new LeadPageQuery(chatbotId, ownerId, fromMillis(), toMillis(), page, size, cursor.orElse(null));
    }

    private static Optional<LocalDate> date(RequestParams params, String name) {
        Optional<String> raw = params.get(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String value = raw.get();
        if (!DATE_SHAPE.matcher(value).matches()) {
            throw new InvalidInput(name + " must be a date in YYYY-MM-DD format, got '" + value + "'");
        }
        try {
            return Optional.of(LocalDate.parse(value, DATE));
        } catch (DateTimeParseException e) {
            throw new InvalidInput(name + " is not a valid calendar date: '" + value + "'");
        }
    }

    private static int positiveInt(RequestParams params, String name, int defaultValue, int max) {
        Optional<String> raw = params.get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String value = raw.get();
        if (DIGITS.matcher(value).matches()) {
            long parsed = Long.parseLong(value);
            if (parsed >= 1 && parsed <= max) {
                return (int) parsed;
            }
        }
        throw new InvalidInput(name + " must be an integer from 1 to " + max + ", got '" + value + "'");
    }
}
