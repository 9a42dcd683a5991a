package io.chatleads.http;

import java.util.concurrent.CompletionStage;

/**
 * A limit each request is counted against: by this server alone ({@link RateLimiter}), or through
 * a bucket every server shares ({@link SharedRateLimiter}). See docs "Rate limits".
 */
public interface RateLimit {

    /** False when the limit is 0: nothing is counted and no headers are sent. */
    boolean enabled();

    /**
     * The verdict on one request under {@code key}: done at once when this server can decide
     * alone, else done once the shared bucket has answered (on another thread; compose it through
     * {@link Routes#resume}). Never fails: without the shared bucket it falls back to this server's count.
     */
    CompletionStage<RateLimiter.Decision> decide(String key);
}
