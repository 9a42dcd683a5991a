package io.chatleads;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class ExpiringCacheTest {

    @Test
    void keepsLoadedValuesUntilForgotten() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofMinutes(1), 10);
        AtomicInteger loads = new AtomicInteger();
        assertEquals("v1", cache.get("k", key -> "v" + loads.incrementAndGet()));
        assertEquals("v1", cache.get("k", key -> "v" + loads.incrementAndGet()));
        cache.forget("k");
        assertEquals("v2", cache.get("k", key -> "v" + loads.incrementAndGet()));
    }

    @Test
    void absentValuesAreNotKept() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofMinutes(1), 10);
        assertNull(cache.get("k", key -> null));
        assertEquals("now there", cache.get("k", key -> "now there"));
    }

    @Test
    void aValueLoadedWhileItWasForgottenIsNotKept() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofMinutes(1), 10);
        // The load read the old value, then a change through this server forgot the key before the load returned.
        assertEquals("stale", cache.get("k", key -> {
            cache.forget("k");
            return "stale";
        }));
        assertEquals("fresh", cache.get("k", key -> "fresh"));
    }

    @Test
    void expiredEntriesAreLoadedAgain() throws InterruptedException {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofMillis(1), 10);
        cache.get("k", key -> "old");
        Thread.sleep(5);
        assertEquals("new", cache.get("k", key -> "new"));
    }

    @Test
    void zeroTtlAlwaysLoadsAndAFullCacheStartsOver() {
        ExpiringCache<String, String> off = new ExpiringCache<>(Duration.ZERO, 10);
        off.get("k", key -> "old");
        assertEquals("new", off.get("k", key -> "new"));
        assertFalse(off.keepsValues());

        ExpiringCache<Integer, Integer> small = new ExpiringCache<>(Duration.ofMinutes(1), 2);
        small.get(1, key -> 1);
        small.get(2, key -> 2);
        small.get(3, key -> 3);
        assertEquals(30, small.get(1, key -> 30), "entry 1 was dropped when the cache started over");
        assertEquals(3, small.get(3, key -> 99));
        assertTrue(small.keepsValues());
    }

    @Test
    void forgetIfDropsMatchingValuesAndALoadUnderWay() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofMinutes(1), 10);
        cache.get("a", key -> "key-1");
        cache.get("b", key -> "key-2");
        cache.forgetIf(value -> value.equals("key-1"));
        assertEquals("reloaded", cache.get("a", key -> "reloaded"));
        assertEquals("key-2", cache.get("b", key -> "not loaded"));
        // A revocation that lands while a look-up of the same key is under way.
        assertEquals("revoked meanwhile", cache.get("c", key -> {
            cache.forgetIf(value -> false);
            return "revoked meanwhile";
        }));
        assertEquals("fresh", cache.get("c", key -> "fresh"));
    }
}
