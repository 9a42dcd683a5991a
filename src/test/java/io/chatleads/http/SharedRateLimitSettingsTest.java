package io.chatleads.http;

import io.chatleads.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CHATLEADS_REDIS_URL and its companions as {@code Startup.validate} reads them (through ServerConfig). */
class SharedRateLimitSettingsTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/leads";

    private static RateLimits.Shared shared(Map<String, String> env) {
        return RateLimits.shared(Settings.from(env));
    }

    @Test
    void unsetMeansEachServerCountsAlone() {
        assertNull(shared(Map.of("CHATLEADS_DB_URL", POSTGRES)));
        assertNull(shared(Map.of()));
    }

    @Test
    void aRedisUrlOnPostgresSharesWithDefaults() {
        RateLimits.Shared shared = shared(Map.of("CHATLEADS_DB_URL", POSTGRES, "CHATLEADS_REDIS_URL", "redis://cache:6380/2"));
        assertEquals(new RateLimits.Shared("redis://cache:6380/2", "chatleads:ratelimit:", 10), shared);
        assertEquals(25, shared(Map.of("CHATLEADS_DB_URL", POSTGRES, "CHATLEADS_REDIS_URL", "redis://cache",
                "CHATLEADS_REDIS_LEASE_PERCENT", "25")).leasePercent());
    }

    @Test
    void sqliteRefusesIt() {
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class,
                () -> shared(Map.of("CHATLEADS_REDIS_URL", "redis://127.0.0.1:6379")));
        assertTrue(e.getMessage().contains("CHATLEADS_REDIS_URL") && e.getMessage().contains("SQLite"), e.getMessage());
    }

    @Test
    void aWrongUrlIsNamedWithoutItsPassword() {
        for (String url : new String[] {"http://:hunter2@cache:6379", "redis://:hunter2@"}) {
            Settings.SettingsException e = assertThrows(Settings.SettingsException.class,
                    () -> shared(Map.of("CHATLEADS_DB_URL", POSTGRES, "CHATLEADS_REDIS_URL", url)), url);
            assertTrue(e.getMessage().startsWith("CHATLEADS_REDIS_URL must be redis://"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void aLeaseShareOutOfRangeIsRefused() {
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class, () -> shared(Map.of(
                "CHATLEADS_DB_URL", POSTGRES, "CHATLEADS_REDIS_URL", "redis://cache", "CHATLEADS_REDIS_LEASE_PERCENT", "0")));
        assertTrue(e.getMessage().startsWith("CHATLEADS_REDIS_LEASE_PERCENT must be an integer from 1 to 100"), e.getMessage());
    }

    @Test
    void itIsMaskedWhenPrinted() {
        Map<String, String> shown = Settings.from(Map.of("CHATLEADS_REDIS_URL", "redis://:hunter2@cache")).describe();
        assertEquals("****", shown.get("CHATLEADS_REDIS_URL"));
    }
}
