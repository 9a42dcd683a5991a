package io.chatleads;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretScrubberTest {

    @Test
    void urlUserInfoLosesItsPasswordWithOrWithoutTheSchemeInFront() {
        assertEquals("cannot connect to jdbc:postgresql://postgres:****@127.0.0.1:5432/db",
                SecretScrubber.scrub("cannot connect to jdbc:postgresql://postgres:hunter2@127.0.0.1:5432/db"));
        // as pgjdbc quotes it: the host it could not resolve
        assertEquals("postgres:****@127.0.0.1", SecretScrubber.scrub("postgres:hunter2@127.0.0.1"));
        assertEquals("unknown host 'app:****@db.internal'", SecretScrubber.scrub("unknown host 'app:p@ss:w0rd@db.internal'"));
        assertEquals("https://user:****@example.com/x", SecretScrubber.scrub("https://user:@example.com/x"));
    }

    @Test
    void passwordParametersAreMasked() {
        assertEquals("jdbc:postgresql://h/db?user=app&password=****&ssl=true",
                SecretScrubber.scrub("jdbc:postgresql://h/db?user=app&password=s3cr%40t&ssl=true"));
        assertEquals("Password=****; Host=h", SecretScrubber.scrub("Password=abc; Host=h"));
    }

    @Test
    void keysAndSigningSecretsAreMaskedButAKeysShownPrefixStays() {
        String key = "cl_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v";
        assertEquals("GET /api/v1/leads/cl_****%ZZ", SecretScrubber.scrub("GET /api/v1/leads/" + key + "%ZZ"));
        assertEquals("key cl_A1b2C3d4 revoked", SecretScrubber.scrub("key cl_A1b2C3d4 revoked"));
        assertEquals("secret whsec_****", SecretScrubber.scrub("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=="));
    }

    @Test
    void rememberedSecretsAreMaskedWhateverTheirShapeAlsoUrlEncoded() {
        SecretScrubber.remember("Zq9#unlikely pass");
        assertEquals("auth failed: **** and ****", SecretScrubber.scrub("auth failed: Zq9#unlikely pass and Zq9%23unlikely+pass"));
        SecretScrubber.remember("abc"); // too short to mask safely: ordinary words would go
        assertEquals("abc", SecretScrubber.scrub("abc"));
        SecretScrubber.remember(null);
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        for (String text : new String[] {"ada@example.com", "{\"email\":\"ada@example.com\"}", "at 10:30 on 2026-11-23",
                "customerEmail: ada@example.com", "GET /api/v1/get-leads 200 6.0 ms", "password authentication failed for user \"app\"",
                "[::1]:5432", "Connection refused: /127.0.0.1:5999"}) {
            assertEquals(text, SecretScrubber.scrub(text));
        }
        assertNull(SecretScrubber.scrub(null));
        assertEquals("", SecretScrubber.scrub(""));
    }

    /** A throwable chain for a log: a copy only when a message along it holds a secret, each link named and traced as before. */
    @Test
    void throwablesAreCopiedScrubbedOnlyWhenTheyHoldASecret() {
        SQLException driver = new SQLException("FATAL: no pg_hba.conf entry for postgres:hunter2@10.0.0.1", "28000");
        IllegalStateException wrapped = new IllegalStateException("storing a lead failed", driver);
        wrapped.addSuppressed(new RuntimeException("retrying with key cl_A1b2C3d4E5f6G7h8I9j0K1l2"));
        Throwable scrubbed = SecretScrubber.scrubbed(wrapped);
        String printed = printed(scrubbed);
        assertFalse(printed.contains("hunter2") || printed.contains("cl_A1b2C3d4E5f6"), printed);
        assertTrue(printed.contains("java.lang.IllegalStateException: storing a lead failed"), printed);
        assertTrue(printed.contains("java.sql.SQLException: FATAL: no pg_hba.conf entry for postgres:****@10.0.0.1"), printed);
        assertTrue(printed.contains("Suppressed: ") && printed.contains("cl_****"), printed);
        assertArrayEquals(wrapped.getStackTrace(), scrubbed.getStackTrace());
        assertArrayEquals(driver.getStackTrace(), scrubbed.getCause().getStackTrace());

        IllegalStateException clean = new IllegalStateException("the get-leads page query failed", new SQLException("timeout"));
        assertSame(clean, SecretScrubber.scrubbed(clean), "nothing to hide: the original, with its own class");
        assertNull(SecretScrubber.scrubbed(null));
    }

    private static String printed(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
