package io.chatleads.http;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One rate limit for the whole deployment: each key's bucket lives in Redis (Bucket4j, a fixed
 * window of {@code limit} tokens refilled at once every window, opened by the key's first request),
 * and each server leases tokens from it in batches, so most requests are decided from this
 * server's memory without a round trip.
 *
 * <p>Per key, a server holds the tokens it leased and what the shared bucket had left after its
 * last lease. A request takes a held token at once; when the held tokens fall to half a lease,
 * the next lease is started in the background; only a request that finds none held (the key's
 * first on this server in a window, or a burst faster than a lease) waits for one, asynchronously.
 * Held tokens expire when the shared window ends, so no server carries a window's tokens into the
 * next: over the deployment, no more than {@code limit} requests per window get through. The
 * price is the other way: tokens one server holds are not available to the others, so a key
 * spread over N servers can be refused up to (N − 1) × 1.5 leases early (docs "Rate limits").
 *
 * <p>While Redis does not answer, every decision falls back to this server's own count
 * ({@code local}), counted by {@code chatleads_rate_limit_local_decisions_total}.
 */
public final class SharedRateLimiter implements RateLimit {

    // A request that finds its lease spent by others waiting on the same lease leases again, this often at most.
    private static final int LEASE_ATTEMPTS = 3;
    private static final int SWEEP_EVERY = 10_000;

    /** What one server knows of one key's shared bucket; guarded by itself. */
    private static final class Allowance {
        final AsyncBucketProxy bucket;
        long held;
        long sharedRemaining;
        long resetAtMillis;
        CompletableFuture<Void> lease;

        Allowance(AsyncBucketProxy bucket) {
            this.bucket = bucket;
        }
    }

    private final String name;
    private final RateLimiter local;
    private final RedisBuckets buckets;
    private final BucketConfiguration configuration;
    private final long leaseSize;
    private final Clock clock;
    private final Counter localDecisions;
    private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();
    private final EveryNthCall sweeps = new EveryNthCall(SWEEP_EVERY);

    /**
     * {@code name} tells this limit's buckets from the other's in Redis and in metrics
     * ({@code api}, {@code widget}); {@code local} is the limit, the window and the fallback;
     * {@code leasePercent} of the limit (at least one token) is leased at a time.
     */
    public SharedRateLimiter(String name, RateLimiter local, RedisBuckets buckets, int leasePercent, Clock clock,
                             MeterRegistry registry) {
        this.name = name;
        this.local = local;
        this.buckets = buckets;
        this.clock = clock;
        int limit = Math.max(1, local.limit());
        this.leaseSize = Math.max(1, (long) limit * leasePercent / 100);
        this.configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit).refillIntervally(limit, local.window()))
                .build();
        this.localDecisions = Counter.builder("chatleads.rate.limit.local.decisions")
                .description("Rate-limit decisions this server made alone because the shared buckets (Redis) did not answer")
                .tag("limit", name)
                .register(registry);
    }

    /** Tokens leased at a time: the slack docs "Rate limits" states is in these units. */
    public long leaseSize() {
        return leaseSize;
    }

    @Override
    public boolean enabled() {
        return local.enabled();
    }

    @Override
    public CompletionStage<RateLimiter.Decision> decide(String key) {
        if (!enabled()) {
            return local.decide(key);
        }
        long now = clock.millis();
        AsyncProxyManager<String> proxies = buckets.proxies();
        if (proxies == null || !buckets.available()) {
            return alone(key, now);
        }
        sweepSometimes(now);
        Allowance allowance = allowances.computeIfAbsent(key, k -> new Allowance(
                proxies.builder().build(bucketKey(k), () -> CompletableFuture.completedFuture(configuration))));
        return decide(key, allowance, LEASE_ATTEMPTS);
    }

    private CompletionStage<RateLimiter.Decision> decide(String key, Allowance allowance, int attemptsLeft) {
        CompletableFuture<Void> waitFor;
        synchronized (allowance) {
            long now = clock.millis();
            RateLimiter.Decision known = take(allowance, now, attemptsLeft == 0);
            if (known != null) {
                if (known.allowed() && allowance.lease == null && allowance.held <= leaseSize / 2
                        && allowance.sharedRemaining > 0) {
                    // Half a lease left: the next one is fetched now, so no request waits for it.
                    lease(allowance);
                }
                return CompletableFuture.completedFuture(known);
            }
            if (attemptsLeft <= 0) {
                // Leased and leased again, and still nothing this request may take: over the limit.
                return CompletableFuture.completedFuture(new RateLimiter.Decision(false, local.limit(), 0, 1));
            }
            waitFor = allowance.lease != null ? allowance.lease : lease(allowance);
        }
        return waitFor.handle((leased, failure) -> failure).thenCompose(failure -> failure == null
                ? decide(key, allowance, attemptsLeft - 1)
                : alone(key, clock.millis()));
    }

    /**
     * The decision this server can make from what it holds, or null when it must lease first.
     * {@code lastAttempt}: no more leasing; refuse when nothing is held.
     */
    private RateLimiter.Decision take(Allowance allowance, long now, boolean lastAttempt) {
        if (now >= allowance.resetAtMillis) {
            // The shared window this server's tokens came from is over; they do not count in the next.
            allowance.held = 0;
            return null;
        }
        long resetSeconds = (allowance.resetAtMillis - now + 999) / 1000;
        int limit = local.limit();
        if (allowance.held > 0) {
            allowance.held--;
            // Best known: what this server holds, plus what the bucket had left at its last lease.
            long remaining = Math.min(limit, allowance.held + allowance.sharedRemaining);
            return new RateLimiter.Decision(true, limit, (int) remaining, resetSeconds);
        }
        if (allowance.sharedRemaining == 0 || lastAttempt) {
            // The bucket was empty at the last lease, and it only refills when the window ends.
            return new RateLimiter.Decision(false, limit, 0, resetSeconds);
        }
        return null;
    }

    /** Starts leasing a batch; called holding the allowance's lock. The future completes once it is applied. */
    private CompletableFuture<Void> lease(Allowance allowance) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        allowance.lease = done;
        CompletableFuture<VerboseResult<Long>> call;
        try {
            call = allowance.bucket.asVerbose().tryConsumeAsMuchAsPossible(leaseSize);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((result, failure) -> {
            synchronized (allowance) {
                allowance.lease = null;
                if (failure == null) {
                    long operationMillis = result.getOperationTimeNanos() / 1_000_000;
                    if (operationMillis >= allowance.resetAtMillis) {
                        allowance.held = 0;
                    }
                    allowance.held += result.getValue();
                    allowance.sharedRemaining = result.getDiagnostics().getAvailableTokens();
                    allowance.resetAtMillis = operationMillis
                            + (result.getDiagnostics().calculateFullRefillingTime() + 999_999) / 1_000_000;
                }
            }
            if (failure == null) {
                buckets.answered();
                done.complete(null);
            } else {
                buckets.unavailable(failure);
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    /** This server's own count, while the shared bucket does not answer. */
    private CompletionStage<RateLimiter.Decision> alone(String key, long now) {
        localDecisions.increment();
        buckets.probeSometimes(now);
        return local.decide(key);
    }

    /**
     * The Redis key of {@code key}'s bucket: the limit and window are part of it, so servers with
     * different settings (a rolling change) never share a bucket of the wrong size; the key itself is
     * hashed, so Redis holds no client address.
     */
    private String bucketKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return buckets.key(name + ":" + local.limit() + "/" + local.window().toSeconds() + ":"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sweepSometimes(long now) {
        if (sweeps.due()) {
            allowances.values().removeIf(allowance -> {
                synchronized (allowance) {
                    return allowance.lease == null && now >= allowance.resetAtMillis;
                }
            });
        }
    }
}
