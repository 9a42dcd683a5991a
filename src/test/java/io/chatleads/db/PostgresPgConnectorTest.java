package io.chatleads.db;

import io.chatleads.support.OwnPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PgConnector} in every sslmode against a PostgreSQL of the test's own with TLS off, then
 * on: each connection either completes start-up or fails with nothing left open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresPgConnectorTest {

    private OwnPostgres cluster;
    private Vertx vertx;

    @BeforeAll
    void start() {
        cluster = OwnPostgres.start(Map.of("ssl", "off", "authentication_timeout", "600s"));
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void withoutTlsOnTheServerPreferAndAllowConnectPlainAndRequireFailsLeavingNothing() throws Exception {
        for (SslMode mode : new SslMode[] {SslMode.DISABLE, SslMode.ALLOW, SslMode.PREFER}) {
            PgConnection connection = await(PgConnector.connect(vertx, options(mode)));
            assertFalse(connection.isSSL(), mode + " against a server without TLS");
            assertEquals(1, await(connection.query("SELECT 1").execute()).size());
            await(connection.close());
        }
        for (SslMode mode : new SslMode[] {SslMode.REQUIRE, SslMode.VERIFY_CA}) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> await(PgConnector.connect(vertx, options(mode))));
            assertTrue(refused.getCause().getMessage().contains("does not accept TLS"), refused.getCause().getMessage());
        }
        assertEquals(0, cluster.socketsAndBackends().inStartup(), "every socket closed or in a finished start-up");
    }

    /**
     * The cause, shown on the library alone: its prefer attempt on TLS, answered 'N', keeps its
     * socket while the plain connection that follows is open. When this fails, vertx-pg-client
     * closes it itself and {@link PgConnector}'s question is no longer needed.
     */
    @Test
    @Order(2)
    void theLibraryAloneLeavesTheSocketOfItsTlsAttempt() throws Exception {
        PgConnection connection = await(PgConnection.connect(vertx, options(SslMode.PREFER)));
        try {
            assertEquals(1, cluster.socketsAndBackends().inStartup(), "the 'N'-answered socket of the TLS attempt");
        } finally {
            await(connection.close());
        }
    }

    @Test
    @Order(3)
    void withTlsOnTheServerEachModeGetsWhatItAsks() throws Exception {
        cluster.configure(Map.of("ssl", "on", "authentication_timeout", "600s"));
        assertEquals(0, cluster.restartFast(30));
        Map<SslMode, Boolean> encrypted = Map.of(SslMode.DISABLE, false, SslMode.ALLOW, false,
                SslMode.PREFER, true, SslMode.REQUIRE, true);
        for (Map.Entry<SslMode, Boolean> expected : encrypted.entrySet()) {
            PgConnection connection = await(PgConnector.connect(vertx, options(expected.getKey())));
            assertEquals(expected.getValue(), connection.isSSL(), expected.getKey() + " against a server with TLS");
            await(connection.close());
        }
        assertEquals(0, cluster.socketsAndBackends().inStartup());
        assertFalse(Files.readString(cluster.log()).contains("could not accept SSL connection"),
                "the question leaves nothing in the server's log");
    }

    private PgConnectOptions options(SslMode mode) {
        PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(cluster.port())
                .setDatabase("postgres").setUser("postgres").setSslMode(mode);
        if (mode != SslMode.DISABLE) {
            options.setSslOptions(new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""));
        }
        if (mode == SslMode.VERIFY_CA) {
            // never read: the server says 'N' before any certificate could be checked
            options.setSslOptions(new ClientSSLOptions().setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath("/nonexistent.pem")));
        }
        return options;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
