package io.chatleads.http;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    /** A clock the test moves by hand, so windows open and close without waiting. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2024-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void countsPerKeyWithinAWindowAndResetsAfterIt() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(60), clock);
        assertEquals(new RateLimiter.Decision(true, 2, 1, 60), limiter.acquire("a"));
        clock.now = clock.now.plusSeconds(10);
        assertEquals(new RateLimiter.Decision(true, 2, 0, 50), limiter.acquire("a"));
        RateLimiter.Decision refused = limiter.acquire("a");
        assertFalse(refused.allowed());
        assertEquals(50, refused.resetSeconds());
        ApiException e = assertThrows(ApiException.class, () -> refused.check("x"));
        assertEquals(429, e.status());
        assertEquals("50", e.headers().get("Retry-After"));
        assertEquals("0", e.headers().get("X-RateLimit-Remaining"));
        assertTrue(limiter.acquire("b").allowed());

        clock.now = clock.now.plusSeconds(50);
        assertEquals(new RateLimiter.Decision(true, 2, 1, 60), limiter.acquire("a"));
    }

    @Test
    void zeroSwitchesLimitingOff() {
        RateLimiter limiter = new RateLimiter(0, Duration.ofSeconds(1), new ManualClock());
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.acquire("a").allowed());
        }
    }
}
