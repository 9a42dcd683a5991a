package io.chatleads;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The arithmetic created_at formatter gives exactly the text of the pattern it replaces. */
class TimestampsTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static void check(Instant instant) {
        assertEquals(REFERENCE.format(instant), Timestamps.format(instant), instant.toString());
    }

    @Test
    void matchesTheFormatterOnBoundariesAndManyRandomInstants() {
        for (String boundary : new String[]{"1970-01-01T00:00:00Z", "1999-12-31T23:59:59.999Z", "2000-02-29T12:00:00.001Z",
                "2023-07-10T00:00:00Z", "2023-07-10T23:59:59.999Z", "2024-02-29T23:59:59.999Z", "2100-03-01T00:00:00Z",
                "9999-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z"}) {
            check(Instant.parse(boundary));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            check(Instant.ofEpochMilli(random.nextLong(0, 253_402_300_800_000L)));
        }
        // Every day of a few centuries, at both ends of the day.
        for (long day = 0; day < 200 * 366; day++) {
            check(Instant.ofEpochMilli(day * 86_400_000L));
            check(Instant.ofEpochMilli(day * 86_400_000L + 86_399_999L));
        }
    }
}
