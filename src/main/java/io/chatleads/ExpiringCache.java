package io.chatleads;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A map whose entries live for a fixed time from when their value was read, for answers that may
 * be a little stale on other servers but never on this one: {@link #forget} after a change made
 * here, and no load that was already under way when it ran can put the old value back. Bounded:
 * when full it starts over, which costs one load per key and never a wrong answer. A zero TTL
 * turns it off.
 */
public final class ExpiringCache<K, V> {

    private record Entry<V>(V value, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    // Bumped by every forget: a load that started before it must not be kept.
    private final AtomicLong forgets = new AtomicLong();

    public ExpiringCache(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    /**
     * The live cached value, else {@code load}'s answer, kept when not null. The TTL counts from
     * before the load, so a value is never trusted for longer than the TTL after it was read.
     */
    public V get(K key, Function<K, V> load) {
        if (ttlNanos <= 0) {
            return load.apply(key);
        }
        Entry<V> entry = entries.get(key);
        if (entry != null && System.nanoTime() - entry.expiresAtNanos() < 0) {
            return entry.value();
        }
        long forgetsBefore = forgets.get();
        long readAt = System.nanoTime();
        V value = load.apply(key);
        if (value != null) {
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
            entries.put(key, new Entry<>(value, readAt + ttlNanos));
            if (forgets.get() != forgetsBefore) {
                entries.remove(key);
            }
        }
        return value;
    }

    /** The live cached value, or null when there is none and only a load could tell. */
    public V peek(K key) {
        Entry<V> entry = ttlNanos <= 0 ? null : entries.get(key);
        return entry != null && System.nanoTime() - entry.expiresAtNanos() < 0 ? entry.value() : null;
    }

    /** Drops the key's entry, and any value for it being loaded right now. */
    public void forget(K key) {
        forgets.incrementAndGet();
        entries.remove(key);
    }

    /** Drops every entry whose value matches, and any value being loaded right now. */
    public void forgetIf(Predicate<V> matches) {
        forgets.incrementAndGet();
        entries.values().removeIf(entry -> matches.test(entry.value()));
    }

    /** False with a zero TTL: then every {@link #get} loads, and nothing is ever kept. */
    public boolean keepsValues() {
        return ttlNanos > 0;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
