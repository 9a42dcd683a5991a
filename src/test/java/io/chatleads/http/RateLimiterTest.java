package io.chatleads.http;

import io.chatleads.support.MutableClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @Test
    void countsPerKeyWithinAWindowAndResetsAfterIt() {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(60), clock);
        assertEquals(new RateLimiter.Decision(true, 2, 1, 60), limiter.acquire("a"));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(new RateLimiter.Decision(true, 2, 0, 50), limiter.acquire("a"));
        RateLimiter.Decision refused = limiter.acquire("a");
        assertFalse(refused.allowed());
        assertEquals(50, refused.resetSeconds());
        ApiException e = assertThrows(ApiException.class, () -> refused.check("x", "LIMIT_SETTING", "WINDOW_SETTING"));
        assertEquals(429, e.status());
        assertEquals("rate limit exceeded for x: at most 2 requests per window (LIMIT_SETTING per WINDOW_SETTING); retry in 50 s",
                e.getMessage());
        assertEquals("50", e.headers().get("Retry-After"));
        assertEquals("0", e.headers().get("X-RateLimit-Remaining"));
        assertTrue(limiter.acquire("b").allowed());

        clock.advance(Duration.ofSeconds(50));
        assertEquals(new RateLimiter.Decision(true, 2, 1, 60), limiter.acquire("a"));
    }

    @Test
    void zeroSwitchesLimitingOff() {
        RateLimiter limiter = new RateLimiter(0, Duration.ofSeconds(1), new MutableClock(Instant.parse("2024-01-01T00:00:00Z")));
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.acquire("a").allowed());
        }
    }
}
