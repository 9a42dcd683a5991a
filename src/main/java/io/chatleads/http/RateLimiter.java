package io.chatleads.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window request counting per key (an API key, or a client IP and chatbot), kept in this
 * process's memory: each server counts on its own, so N servers behind a balancer let through up
 * to N times the limit. A window opens with a key's first request, which keeps a client from
 * doubling its burst at a shared clock boundary.
 */
public final class RateLimiter implements RateLimit {

    /** The verdict on one request, with what the X-RateLimit headers report. */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {

        public Map<String, String> headers() {
            return Map.of(
                    "X-RateLimit-Limit", Integer.toString(limit),
                    "X-RateLimit-Remaining", Integer.toString(remaining),
                    "X-RateLimit-Reset", Long.toString(resetSeconds));
        }

        /**
         * Enforces the decision: a 429 carrying Retry-After and the X-RateLimit headers, its message
         * naming the settings that set the limit, so whoever reads it knows what the operator can change.
         */
        public void check(String what, String limitSetting, String windowSetting) {
            if (!allowed) {
                Map<String, String> all = new java.util.HashMap<>(headers());
                all.put("Retry-After", Long.toString(resetSeconds));
                throw new ApiException(429, "rate limit exceeded for " + what + ": at most " + limit
                        + " requests per window (" + limitSetting + " per " + windowSetting + "); retry in "
                        + resetSeconds + " s", all);
            }
        }
    }

    /** Immutable, so the value compute() returns is exactly the state this request produced. */
    private record Window(long startMillis, int count) {
    }

    // Sweeping stale windows every so many calls bounds memory without a background thread.
    private static final int SWEEP_EVERY = 10_000;

    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final EveryNthCall sweeps = new EveryNthCall(SWEEP_EVERY);

    /** {@code limit} 0 switches limiting off. */
    public RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return limit > 0;
    }

    /** Requests per window; 0 when limiting is off. */
    public int limit() {
        return limit;
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /** {@link #acquire}, already done: this server decides alone. */
    @Override
    public CompletionStage<Decision> decide(String key) {
        return CompletableFuture.completedFuture(acquire(key));
    }

    public Decision acquire(String key) {
        long now = clock.millis();
        if (!enabled()) {
            return new Decision(true, 0, 0, 0);
        }
        sweepSometimes(now);
        Window window = windows.compute(key, (k, current) -> {
            Window w = current == null || now - current.startMillis() >= windowMillis ? new Window(now, 0) : current;
            // Capped at limit + 1: "over the limit" is all a refused request needs to know.
            return new Window(w.startMillis(), Math.min(w.count() + 1, limit + 1));
        });
        long resetMillis = Math.max(0, window.startMillis() + windowMillis - now);
        long resetSeconds = (resetMillis + 999) / 1000;
        return new Decision(window.count() <= limit, limit, Math.max(0, limit - window.count()), resetSeconds);
    }

    private void sweepSometimes(long now) {
        if (sweeps.due()) {
            windows.values().removeIf(w -> now - w.startMillis() >= windowMillis);
        }
    }
}
