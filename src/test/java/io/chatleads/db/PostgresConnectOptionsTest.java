package io.chatleads.db;

import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresConnectOptionsTest {

    private static PgConnectOptions options(String url, String... userAndPassword) {
        Map<String, String> env = new HashMap<>();
        env.put("CHATLEADS_DB_URL", url);
        if (userAndPassword.length > 0) {
            env.put("CHATLEADS_DB_USER", userAndPassword[0]);
            env.put("CHATLEADS_DB_PASSWORD", userAndPassword[1]);
        }
        return PostgresConnectOptions.of(Settings.from(env));
    }

    @Test
    void hostPortDatabaseAndCredentialsFromTheUrl() {
        PgConnectOptions options = options("jdbc:postgresql://db.internal:6543/leads?user=app&password=s%40cret&ApplicationName=x");
        assertAddress(options, "db.internal", 6543, "leads");
        assertEquals("app", options.getUser());
        assertEquals("s@cret", options.getPassword());
    }

    @Test
    void thePortDefaultsTo5432() {
        PgConnectOptions options = options("jdbc:postgresql://127.0.0.1/test?user=postgres");
        assertAddress(options, "127.0.0.1", 5432, "test");
        assertEquals("postgres", options.getUser());
    }

    @Test
    void theShortFormAndAnIpv6Host() {
        assertAddress(options("jdbc:postgresql:leads?user=app"), "localhost", 5432, "leads");
        assertAddress(options("jdbc:postgresql://[::1]:5433/leads?user=app"), "::1", 5433, "leads");
    }

    private static void assertAddress(PgConnectOptions options, String host, int port, String database) {
        assertEquals(host, options.getHost());
        assertEquals(port, options.getPort());
        assertEquals(database, options.getDatabase());
    }

    @Test
    void withoutADatabaseNameTheServerTakesTheUsers() {
        assertEquals("app", options("jdbc:postgresql://h/?user=app").getDatabase());
    }

    @Test
    void theUserAndPasswordSettingsWinOverTheUrl() {
        PgConnectOptions options = options("jdbc:postgresql://h/leads?user=fromurl&password=urlpass", "fromsettings", "settingspass");
        assertEquals("fromsettings", options.getUser());
        assertEquals("settingspass", options.getPassword());
        PgConnectOptions blankSettings = options("jdbc:postgresql://h/leads?user=fromurl&password=urlpass", "", "");
        assertEquals("fromurl", blankSettings.getUser());
        assertEquals("urlpass", blankSettings.getPassword());
    }

    @Test
    void sslmodeAsPgjdbcReadsIt() {
        // pgjdbc's default: encrypt when the server offers it, without checking its certificate.
        PgConnectOptions unset = options("jdbc:postgresql://h/leads?user=app");
        assertEquals(SslMode.PREFER, unset.getSslMode());
        assertTrue(unset.getSslOptions().isTrustAll());
        assertEquals(SslMode.DISABLE, options("jdbc:postgresql://h/leads?user=app&sslmode=disable").getSslMode());
        assertEquals(SslMode.ALLOW, options("jdbc:postgresql://h/leads?sslmode=allow").getSslMode());
        PgConnectOptions require = options("jdbc:postgresql://h/leads?sslmode=require");
        assertEquals(SslMode.REQUIRE, require.getSslMode());
        assertTrue(require.getSslOptions().isTrustAll());
        PgConnectOptions verifyFull = options("jdbc:postgresql://h/leads?sslmode=verify-full&sslrootcert=/etc/ssl/db.pem");
        assertEquals(SslMode.VERIFY_FULL, verifyFull.getSslMode());
        assertFalse(verifyFull.getSslOptions().isTrustAll());
        assertEquals("HTTPS", verifyFull.getSslOptions().getHostnameVerificationAlgorithm());
        assertEquals(SslMode.VERIFY_CA, options("jdbc:postgresql://h/leads?sslmode=verify-ca&sslrootcert=/etc/ssl/db.pem").getSslMode());
    }

    @Test
    void anUnknownSslmodeIsRefusedNamingTheSetting() {
        SettingsException refused = assertThrows(SettingsException.class,
                () -> options("jdbc:postgresql://h/leads?user=app&password=hidden&sslmode=sometimes"));
        assertTrue(refused.getMessage().contains("CHATLEADS_DB_URL"), refused.getMessage());
        assertTrue(refused.getMessage().contains("sslmode=sometimes"), refused.getMessage());
        assertFalse(refused.getMessage().contains("hidden"), refused.getMessage());
    }

    @Test
    void currentSchemaBecomesTheSearchPathAndOtherParametersAreLeftAlone() {
        PgConnectOptions options = options("jdbc:postgresql://h/leads?currentSchema=chatleads&reWriteBatchedInserts=true&loginTimeout=5");
        assertEquals("chatleads", options.getProperties().get("search_path"));
        assertNull(options.getProperties().get("reWriteBatchedInserts"));
    }

    @Test
    void aBadPortOrSeveralHostsAreRefusedNamingTheSetting() {
        for (String url : new String[] {"jdbc:postgresql://h:http/leads", "jdbc:postgresql://a:5432,b:5432/leads"}) {
            SettingsException refused = assertThrows(SettingsException.class, () -> options(url));
            assertTrue(refused.getMessage().startsWith("CHATLEADS_DB_URL "), refused.getMessage());
        }
    }

    /** pgjdbc does not read user:password@ (it takes it for a host and repeats it in its errors): refused, the password masked. */
    @Test
    void userInfoBeforeTheHostIsRefusedWithoutShowingThePassword() {
        for (String url : new String[] {"jdbc:postgresql://app:Pa55-w0rd@db.internal:5432/leads", "jdbc:postgresql://app:Pa55-w0rd@db.internal/leads?ssl=x"}) {
            SettingsException refused = assertThrows(SettingsException.class, () -> options(url));
            assertTrue(refused.getMessage().contains("a user name and password before the host"), refused.getMessage());
            assertTrue(refused.getMessage().contains("app:****@db.internal"), refused.getMessage());
            assertFalse(refused.getMessage().contains("Pa55"), refused.getMessage());
        }
        assertEquals("s@cret", PostgresConnectOptions.urlPassword("jdbc:postgresql://h/db?user=a&password=s%40cret"));
        assertEquals("p@ss", PostgresConnectOptions.urlPassword("jdbc:postgresql://a:p@ss@h/db"));
        assertNull(PostgresConnectOptions.urlPassword("jdbc:postgresql://h/db?user=a"));
    }
}
