package io.chatleads;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A bounded cache of answers read from the database that may be a little stale on other servers
 * but never on this one. {@link #get} returns a future, so a hit and a miss take one path: a hit is
 * a future already done, a miss one that completes when {@code load} has read the value (on the
 * {@code loads} executor, which keeps an event loop from waiting on JDBC). Concurrent misses for one
 * key share one load. A null from {@code load} means "absent": by default it is not kept, so
 * something created on another server is found at once; with {@link Absence#REMEMBERED} it is kept
 * like a value (same TTL, same bound, same {@link #forget}), for keys nobody can know before they
 * exist, so that "absent" and "present" answer from the same path.
 *
 * <p>Caffeine underneath: entries live {@code ttl} from when their load completed, and the least
 * used go first when the cache is full. {@link #forget} after a change made here; no load that was
 * already under way when it ran can put the old value back for later callers. A zero TTL turns it
 * off: then every {@link #get} loads.
 */
public final class Cache<K, V> {

    /** What a null from {@code load} means to the callers after the first. */
    public enum Absence {
        /** Not kept: the next caller loads again. */
        LOADED_AGAIN,
        /** Kept like a value, so a second look-up of a missing key makes no query. */
        REMEMBERED
    }

    // Null when off (zero TTL). Optional.empty() is a remembered absence; a future completed with
    // null (an absence not to keep) is dropped by Caffeine itself.
    private final AsyncCache<K, Optional<V>> entries;
    private final Absence absence;
    private final Function<K, V> load;
    private final Executor loads;
    // Bumped by every forget: a load that started before it must not be kept.
    private final AtomicLong forgets = new AtomicLong();

    /**
     * @param load  reads the value, or null when there is none; may block
     * @param loads where a load runs: the caller's own thread when it may block, another otherwise
     */
    public Cache(Duration ttl, long maxEntries, Function<K, V> load, Executor loads) {
        this(ttl, maxEntries, Absence.LOADED_AGAIN, load, loads);
    }

    /**
     * @param absence {@link Absence#REMEMBERED} only for keys that no client can know before the
     *                value exists (random ids made here), and whose creation through this JVM
     *                {@link #forget}s the key
     */
    public Cache(Duration ttl, long maxEntries, Absence absence, Function<K, V> load, Executor loads) {
        this.absence = absence;
        this.load = load;
        this.loads = loads;
        this.entries = ttl.isZero() || ttl.isNegative() ? null : Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                // Eviction and expiry bookkeeping on the calling thread: no pool of Caffeine's own.
                .executor(Runnable::run)
                .buildAsync();
    }

    /** The value, or null when {@code load} found none; done at once on a hit. */
    public CompletableFuture<V> get(K key) {
        return get(key, null);
    }

    /**
     * {@link #get(Object)}, but a miss reads through {@code read} instead of {@code load}: an
     * asynchronous read of the same value that the caller can make cheaper where it runs (on an
     * event loop, through that loop's own connection, with no thread hand-off); null reads through
     * {@code load}, as {@link #get(Object)} does. Hits, sharing of
     * concurrent misses, absences and forgets are exactly as for {@link #get(Object)}.
     */
    public CompletableFuture<V> get(K key, Function<K, CompletionStage<V>> read) {
        if (entries == null) {
            return read != null ? read.apply(key).toCompletableFuture()
                    : CompletableFuture.supplyAsync(() -> load.apply(key), loads);
        }
        CompletableFuture<Optional<V>> cached = entries.getIfPresent(key);
        if (cached != null) {
            return valueOf(cached);
        }
        long forgetsBefore = forgets.get();
        CompletableFuture<Optional<V>> loading = new CompletableFuture<>();
        CompletableFuture<Optional<V>> value = entries.get(key, (missing, ignored) -> loading);
        if (value == loading) {
            // This caller's miss: the load runs now, outside the map's own locking (Caffeine would
            // run a mapping function inside it), and everyone else who missed meanwhile waits for it.
            if (read != null) {
                startRead(key, read, loading);
            } else {
                loads.execute(() -> {
                    try {
                        loading.complete(kept(load.apply(key)));
                    } catch (Throwable e) {
                        loading.completeExceptionally(e);
                    }
                });
            }
        }
        if (value.isDone()) {
            dropIfForgottenSince(forgetsBefore, key, value);
        } else {
            value.whenComplete((loaded, failure) -> dropIfForgottenSince(forgetsBefore, key, value));
        }
        return valueOf(value);
    }

    private void startRead(K key, Function<K, CompletionStage<V>> read, CompletableFuture<Optional<V>> loading) {
        CompletionStage<V> reading;
        try {
            reading = read.apply(key);
        } catch (Throwable e) {
            loading.completeExceptionally(e);
            return;
        }
        reading.whenComplete((loaded, failure) -> {
            if (failure != null) {
                loading.completeExceptionally(failure);
            } else {
                loading.complete(kept(loaded));
            }
        });
    }

    // What the entry holds for a loaded value: null (not kept) for an absence unless remembered.
    private Optional<V> kept(V loaded) {
        return loaded != null ? Optional.of(loaded) : absence == Absence.REMEMBERED ? Optional.empty() : null;
    }

    // Done at once when the entry is: a hit stays a future already completed.
    private static <V> CompletableFuture<V> valueOf(CompletableFuture<Optional<V>> entry) {
        return entry.thenApply(found -> found == null ? null : found.orElse(null));
    }

    // What a load read before a forget landed may be exactly what the forget was for: the caller
    // that asked gets it (as it would have, a moment earlier), later callers load again.
    private void dropIfForgottenSince(long forgetsBefore, K key, CompletableFuture<Optional<V>> value) {
        if (forgets.get() != forgetsBefore) {
            entries.asMap().remove(key, value);
        }
    }

    /** Drops the key's entry, and any value for it being loaded right now. */
    public void forget(K key) {
        forgets.incrementAndGet();
        if (entries != null) {
            entries.synchronous().invalidate(key);
        }
    }

    /** Drops every entry whose value matches, and every value being loaded right now; remembered absences stay. */
    public void forgetIf(Predicate<V> matches) {
        forgets.incrementAndGet();
        if (entries != null) {
            entries.asMap().values().removeIf(value -> !value.isDone()
                    || !value.isCompletedExceptionally() && value.join() != null
                    && value.join().isPresent() && matches.test(value.join().get()));
        }
    }

    /** False with a zero TTL: then every {@link #get} loads, and nothing is ever kept. */
    public boolean keepsValues() {
        return entries != null;
    }

    public boolean isEmpty() {
        return entries == null || entries.asMap().isEmpty();
    }
}
