package io.chatleads.http;

import io.chatleads.support.TcpForwarder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SharedRateLimiter} on the machine's real Redis (127.0.0.1:6379), through a forwarder that
 * can make it hang: a request waiting for a lease holds no thread (on an event loop, that is the
 * loop), and one that Redis does not answer falls back to this server's own count.
 */
class SharedRateLimiterTest {

    private static final int REDIS_PORT = 6379;

    @Test
    void aLeaseWaitingOnAHungRedisHoldsNoThreadAndFallsBackToTheLocalCount() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TcpForwarder redis = new TcpForwarder(REDIS_PORT);
             RedisBuckets buckets = new RedisBuckets("redis://127.0.0.1:" + redis.port(),
                     "chatleads:test:" + UUID.randomUUID() + ":", registry)) {
            buckets.start();
            assertTrue(buckets.available(), "connected to the real Redis");
            SharedRateLimiter limiter = new SharedRateLimiter("api",
                    new RateLimiter(5, Duration.ofHours(1), Clock.systemUTC()), buckets, 10, Clock.systemUTC(), registry);

            RateLimiter.Decision first = limiter.decide("key-a").toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(new RateLimiter.Decision(true, 5, 4, 3600), first);

            redis.hold();
            // A key this server holds nothing of needs a lease: decide() returns at once, undone.
            CompletableFuture<RateLimiter.Decision> waiting = limiter.decide("key-b").toCompletableFuture();
            assertFalse(waiting.isDone(), "the request waits for Redis without holding its caller's thread");
            RateLimiter.Decision fellBack = waiting.get(30, TimeUnit.SECONDS);
            assertTrue(fellBack.allowed());
            assertEquals(4, fellBack.remaining(), "this server's own count: the first of 5");
            assertFalse(buckets.available());
            assertEquals(1.0, registry.get("chatleads.rate.limit.local.decisions").counter().count());
            // Meanwhile every decision is this server's own, and immediate.
            assertTrue(limiter.decide("key-b").toCompletableFuture().isDone());
            redis.release();
        }
    }
}
