package io.chatleads.webhook;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: the wait after failed attempt {@code n} is base · 2^(n-1), ±20 %. */
record RetrySchedule(long baseMillis, int maxAttempts) {

    /** One step never waits longer than this, whatever the settings. */
    static final long MAX_DELAY_MILLIS = 86_400_000L;

    /** The wait before the attempt after {@code attempt} (1-based). Jitter spreads retries of a burst apart. */
    public long delayAfter(int attempt) {
        double nominal = baseMillis * Math.pow(2, Math.min(Math.max(attempt - 1, 0), 40));
        double jittered = nominal * ThreadLocalRandom.current().nextDouble(0.8, 1.2);
        return (long) Math.max(1, Math.min(jittered, MAX_DELAY_MILLIS));
    }

    /** Whether attempt {@code attempt} was the last one allowed; {@code allowed} null means {@link #maxAttempts}. */
    public boolean exhausted(int attempt, Integer allowed) {
        return attempt >= (allowed == null ? maxAttempts : allowed);
    }
}
