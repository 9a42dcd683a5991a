package io.chatleads.http;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Redis that shared rate limits keep their buckets in ({@code CHATLEADS_REDIS_URL}), through
 * Bucket4j's Lettuce backend, and whether it answers. Everything here is asynchronous: connecting,
 * reconnecting and every bucket call complete on Lettuce's own threads, never on an event loop.
 *
 * <p>While Redis does not answer, {@link #available()} is false and the limits fall back to each
 * server's own count; that is logged once when it starts and once when it ends, not per request.
 */
public final class RedisBuckets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);

    // A bucket call waits at most this long before the limit falls back to this server's count.
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisURI uri;
    private final String keyPrefix;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService retries;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final AtomicBoolean available = new AtomicBoolean();
    // Whether "unavailable" has been logged and not yet followed by "answers again".
    private final AtomicBoolean outageLogged = new AtomicBoolean();
    private final AtomicLong lastProbeMillis = new AtomicLong();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile AsyncProxyManager<String> proxies;
    private volatile boolean closed;

    /** Prepared, not connected: {@link #start} connects. {@code url} is one {@link #parse} accepted. */
    public RedisBuckets(String url, String keyPrefix, MeterRegistry registry) {
        this.uri = parse(url);
        this.uri.setTimeout(COMMAND_TIMEOUT);
        this.keyPrefix = keyPrefix;
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(RETRY_EVERY)).build();
        this.client = RedisClient.create(resources, uri);
        // Rejected at once while disconnected, instead of queued until Redis is back: the limit
        // falls back to this server's count meanwhile, and no request waits on a dead link.
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chatleads-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("chatleads.rate.limit.shared.available", available, up -> up.get() ? 1 : 0)
                .description("1 while the shared rate-limit buckets (Redis) answer, 0 while each server counts alone")
                .register(registry);
    }

    /** {@code redis://[user:password@]host[:port][/db]} (or {@code rediss://}), else an IllegalArgumentException saying why. */
    public static RedisURI parse(String url) {
        if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new IllegalArgumentException("must start with redis:// or rediss://");
        }
        RedisURI parsed;
        try {
            parsed = RedisURI.create(url);
        } catch (RuntimeException e) {
            // Lettuce's own message may quote the URL, password and all: never passed on.
            throw new IllegalArgumentException("it cannot be parsed");
        }
        if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            throw new IllegalArgumentException("it names no host");
        }
        return parsed;
    }

    /**
     * Connects; waits for the first attempt's outcome (at most the connect timeout, on the thread
     * that starts the server, never an event loop), so a server that can reach Redis shares its
     * limits from its first request. Without Redis it starts anyway and keeps trying.
     */
    public void start() {
        connect();
        try {
            firstAttempt.await(CONNECT_TIMEOUT.toMillis() + COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connectAsync(CODEC, uri).whenComplete((opened, failure) -> {
            if (failure != null) {
                unavailable(failure);
                firstAttempt.countDown();
                if (!closed) {
                    retries.schedule(this::connect, RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (closed) {
                opened.closeAsync();
                return;
            }
            connection = opened;
            // A bucket left alone is removed once it would be full again: Redis holds only live windows.
            proxies = Bucket4jLettuce.casBasedBuilder(opened)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                    .build().asAsync();
            log.info("rate limits are shared through Redis at {}:{}", uri.getHost(), uri.getPort());
            answered();
            firstAttempt.countDown();
        });
    }

    /** Whether bucket calls are expected to succeed now. */
    public boolean available() {
        return available.get();
    }

    /** The buckets, or null while there is no connection. */
    AsyncProxyManager<String> proxies() {
        return proxies;
    }

    /** {@code name} under the configured prefix ({@code CHATLEADS_REDIS_KEY_PREFIX}). */
    String key(String name) {
        return keyPrefix + name;
    }

    /** A bucket call answered: if Redis was unavailable, it is back. */
    void answered() {
        available.set(true);
        if (outageLogged.getAndSet(false)) {
            log.info("Redis at {}:{} answers again: rate limits are shared again", uri.getHost(), uri.getPort());
        }
    }

    /** A bucket call (or connecting) failed: logged once per outage, never per request. */
    void unavailable(Throwable cause) {
        available.set(false);
        if (!outageLogged.getAndSet(true)) {
            log.warn("Redis at {}:{} does not answer ({}): each server applies its own rate limits until it does",
                    uri.getHost(), uri.getPort(), cause.toString());
        }
    }

    /**
     * While unavailable and connected (Lettuce reconnects on its own), a PING at most once per
     * second, fired and not waited for: its answer is what brings the shared limits back.
     */
    void probeSometimes(long nowMillis) {
        StatefulRedisConnection<String, byte[]> current = connection;
        long last = lastProbeMillis.get();
        if (current == null || available.get() || nowMillis - last < RETRY_EVERY.toMillis()
                || !lastProbeMillis.compareAndSet(last, nowMillis)) {
            return;
        }
        current.async().ping().whenComplete((pong, failure) -> {
            if (failure == null) {
                answered();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
