package io.chatleads;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheTest {

    /** A cache whose load the test swaps as it goes; loads run on the caller's thread. */
    private static <K, V> Cache<K, V> cache(Duration ttl, int maxEntries, AtomicReference<Function<K, V>> load) {
        return new Cache<>(ttl, maxEntries, key -> load.get().apply(key), Runnable::run);
    }

    @Test
    void keepsLoadedValuesUntilForgotten() {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<Function<String, String>> load = new AtomicReference<>(key -> "v" + loads.incrementAndGet());
        Cache<String, String> cache = cache(Duration.ofMinutes(1), 10, load);
        assertEquals("v1", cache.get("k").join());
        assertEquals("v1", cache.get("k").join());
        cache.forget("k");
        assertEquals("v2", cache.get("k").join());
    }

    @Test
    void absentValuesAreNotKept() {
        AtomicReference<Function<String, String>> load = new AtomicReference<>(key -> null);
        Cache<String, String> cache = cache(Duration.ofMinutes(1), 10, load);
        assertNull(cache.get("k").join());
        load.set(key -> "now there");
        assertEquals("now there", cache.get("k").join());
    }

    @Test
    void rememberedAbsencesMakeNoSecondLoadUntilForgotten() {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<Function<String, String>> load = new AtomicReference<>(key -> {
            loads.incrementAndGet();
            return null;
        });
        Cache<String, String> cache = new Cache<>(Duration.ofMinutes(1), 10, Cache.Absence.REMEMBERED,
                key -> load.get().apply(key), Runnable::run);
        assertNull(cache.get("k").join());
        assertNull(cache.get("k").join());
        assertEquals(1, loads.get(), "the second look-up of a missing key is answered from memory");
        assertTrue(cache.get("k").isDone(), "a remembered absence is a future already done, like a hit");
        // What a revocation does: only values that match go, absences stay.
        cache.forgetIf(value -> true);
        assertNull(cache.get("k").join());
        assertEquals(1, loads.get());
        // What a creation through this server does: the absence goes, the new value is found at once.
        load.set(key -> "created");
        cache.forget("k");
        assertEquals("created", cache.get("k").join());
    }

    @Test
    void rememberedAbsencesAreKeptNoLongerThanValues() throws InterruptedException {
        AtomicReference<Function<String, String>> load = new AtomicReference<>(key -> null);
        Cache<String, String> cache = new Cache<>(Duration.ofMillis(1), 10, Cache.Absence.REMEMBERED,
                key -> load.get().apply(key), Runnable::run);
        assertNull(cache.get("k").join());
        Thread.sleep(5);
        load.set(key -> "created elsewhere");
        assertEquals("created elsewhere", cache.get("k").join());
        Cache<String, String> off = new Cache<>(Duration.ZERO, 10, Cache.Absence.REMEMBERED,
                key -> load.get().apply(key), Runnable::run);
        load.set(key -> null);
        assertNull(off.get("k").join());
        load.set(key -> "now there");
        assertEquals("now there", off.get("k").join(), "a zero TTL keeps nothing, absences neither");
    }

    @Test
    void aValueLoadedWhileItWasForgottenIsNotKept() {
        AtomicReference<Function<String, String>> load = new AtomicReference<>();
        Cache<String, String> cache = cache(Duration.ofMinutes(1), 10, load);
        // The load read the old value, then a change through this server forgot the key before the load returned.
        load.set(key -> {
            cache.forget("k");
            return "stale";
        });
        assertEquals("stale", cache.get("k").join());
        load.set(key -> "fresh");
        assertEquals("fresh", cache.get("k").join());
    }

    @Test
    void aLoadOnAnotherThreadThatAForgetOvertakesIsNotKept() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch forgotten = new CountDownLatch(1);
            AtomicReference<String> stored = new AtomicReference<>("old");
            Cache<String, String> cache = new Cache<>(Duration.ofMinutes(1), 10, key -> {
                String read = stored.get();
                reading.countDown();
                await(forgotten);
                return read;
            }, pool);
            CompletableFuture<String> inFlight = cache.get("k");
            assertTrue(reading.await(5, TimeUnit.SECONDS));
            // A revocation commits, then this server forgets the key, while the load still holds the old value.
            stored.set("new");
            cache.forget("k");
            forgotten.countDown();
            assertEquals("old", inFlight.get(5, TimeUnit.SECONDS), "the caller that asked gets what was read");
            assertEquals("new", cache.get("k").get(5, TimeUnit.SECONDS), "nobody after it does");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredEntriesAreLoadedAgain() throws InterruptedException {
        AtomicReference<Function<String, String>> load = new AtomicReference<>(key -> "old");
        Cache<String, String> cache = cache(Duration.ofMillis(1), 10, load);
        cache.get("k").join();
        Thread.sleep(5);
        load.set(key -> "new");
        assertEquals("new", cache.get("k").join());
    }

    @Test
    void zeroTtlAlwaysLoads() {
        AtomicReference<Function<String, String>> load = new AtomicReference<>(key -> "old");
        Cache<String, String> off = cache(Duration.ZERO, 10, load);
        off.get("k").join();
        load.set(key -> "new");
        assertEquals("new", off.get("k").join());
        assertFalse(off.keepsValues());
    }

    @Test
    void aFullCacheEvictsSomeEntriesNotAll() {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<Function<Integer, Integer>> load = new AtomicReference<>(key -> {
            loads.incrementAndGet();
            return key;
        });
        Cache<Integer, Integer> small = cache(Duration.ofMinutes(1), 100, load);
        for (int i = 0; i < 1_000; i++) {
            small.get(i).join();
        }
        // Caffeine evicts in the background of later calls; a few more settle it.
        small.get(-1).join();
        loads.set(0);
        for (int i = 900; i < 1_000; i++) {
            small.get(i).join();
        }
        assertTrue(loads.get() < 100, "a full cache keeps what fits instead of starting over: " + loads.get() + " of 100 reloaded");
        assertTrue(small.keepsValues());
    }

    @Test
    void concurrentMissesForOneKeyMakeOneLoad() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            AtomicInteger loads = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            Cache<String, String> cache = new Cache<>(Duration.ofMinutes(1), 10, key -> {
                loads.incrementAndGet();
                await(release);
                return "value";
            }, pool);
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                waiting.add(cache.get("k"));
            }
            release.countDown();
            for (CompletableFuture<String> one : waiting) {
                assertEquals("value", one.get(5, TimeUnit.SECONDS));
            }
            assertEquals(1, loads.get(), "20 concurrent misses, one query");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forgetIfDropsMatchingValuesAndALoadUnderWay() {
        AtomicReference<Function<String, String>> load = new AtomicReference<>(key -> key.equals("a") ? "key-1" : "key-2");
        Cache<String, String> cache = cache(Duration.ofMinutes(1), 10, load);
        cache.get("a").join();
        cache.get("b").join();
        cache.forgetIf(value -> value.equals("key-1"));
        load.set(key -> "reloaded");
        assertEquals("reloaded", cache.get("a").join());
        assertEquals("key-2", cache.get("b").join());
        // A revocation that lands while a look-up of the same key is under way.
        load.set(key -> {
            cache.forgetIf(value -> false);
            return "revoked meanwhile";
        });
        assertEquals("revoked meanwhile", cache.get("c").join());
        load.set(key -> "fresh");
        assertEquals("fresh", cache.get("c").join());
    }

    @Test
    void anAsynchronousReadFillsTheSameEntriesAsTheLoad() {
        AtomicInteger loads = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Cache<String, String> cache = new Cache<>(Duration.ofMinutes(1), 10, Cache.Absence.REMEMBERED,
                key -> "loaded" + loads.incrementAndGet(), Runnable::run);
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> first = cache.get("k", key -> {
            reads.incrementAndGet();
            return pending;
        });
        // A concurrent miss, with or without its own read, waits for the one under way.
        CompletableFuture<String> second = cache.get("k", key -> {
            reads.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        });
        CompletableFuture<String> third = cache.get("k");
        assertFalse(first.isDone());
        pending.complete("read");
        assertEquals("read", first.join());
        assertEquals("read", second.join());
        assertEquals("read", third.join());
        assertEquals("read", cache.get("k").join(), "a hit after the read, through the plain get");
        assertEquals(1, reads.get());
        assertEquals(0, loads.get(), "the JDBC-style load never ran");

        // An absence read that way is remembered like one loaded.
        assertNull(cache.get("missing", key -> CompletableFuture.completedFuture(null)).join());
        assertNull(cache.get("missing").join());
        assertEquals(0, loads.get());
    }

    @Test
    void aFailedAsynchronousReadIsNotKept() {
        Cache<String, String> cache = new Cache<>(Duration.ofMinutes(1), 10, Cache.Absence.REMEMBERED,
                key -> "loaded", Runnable::run);
        CompletableFuture<String> failed = cache.get("k", key -> CompletableFuture.failedFuture(new IllegalStateException("down")));
        assertTrue(failed.isCompletedExceptionally());
        CompletableFuture<String> thrown = cache.get("j", key -> {
            throw new IllegalStateException("refused at once");
        });
        assertTrue(thrown.isCompletedExceptionally());
        assertEquals("loaded", cache.get("k").join(), "the failure was not kept: the next look-up loads");
        assertEquals("loaded", cache.get("j").join());
    }

    @Test
    void anAsynchronousReadThatAForgetOvertakesIsNotKept() {
        AtomicInteger loads = new AtomicInteger();
        Cache<String, String> cache = new Cache<>(Duration.ofMinutes(1), 10, Cache.Absence.REMEMBERED,
                key -> "fresh" + loads.incrementAndGet(), Runnable::run);
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> stale = cache.get("k", key -> pending);
        cache.forget("k");
        pending.complete("stale");
        assertEquals("stale", stale.join(), "the caller that asked gets what was read");
        assertEquals("fresh1", cache.get("k").join(), "later callers read again");
    }

    @Test
    void withZeroTtlEveryGetReadsThroughItsOwnRead() {
        AtomicInteger reads = new AtomicInteger();
        Cache<String, String> cache = new Cache<>(Duration.ZERO, 10, Cache.Absence.REMEMBERED, key -> "loaded", Runnable::run);
        assertEquals("r1", cache.get("k", key -> CompletableFuture.completedFuture("r" + reads.incrementAndGet())).join());
        assertEquals("r2", cache.get("k", key -> CompletableFuture.completedFuture("r" + reads.incrementAndGet())).join());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
