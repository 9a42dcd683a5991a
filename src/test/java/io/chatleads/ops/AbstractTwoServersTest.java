package io.chatleads.ops;

import io.chatleads.lead.NewLead;
import io.chatleads.support.Fixture;
import io.chatleads.support.JarProcess;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stateless servers on one database, as behind a load balancer: they serve the same data, and a
 * key revoked through one stops working on the other within the bound docs/operations.md promises.
 */
abstract class AbstractTwoServersTest {

    /**
     * The bound in docs/operations.md "Running several servers". Without a key cache it is met at
     * once; a per-server key cache must keep its time-to-live within it.
     */
    static final Duration REVOCATION_BOUND = Duration.ofSeconds(5);
    /** Scheduling slack on 2 busy cores; the deadline for the eventual check is far longer still. */
    private static final Duration TOLERANCE = Duration.ofSeconds(3);

    abstract TestDatabase.Kind kind();

    @Test
    void bothServeTheSameDataAndARevokedKeyStopsOnBoth() {
        try (TestDatabase database = TestDatabase.create(kind());
             TestServer a = TestServer.start(database);
             TestServer b = TestServer.start(database)) {
            Fixture fixture = Fixture.create(a.app(), 30);
            String url = "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id() + "&size=100";

            HttpResponse<String> fromA = a.get(url, fixture.key());
            HttpResponse<String> fromB = b.get(url, fixture.key());
            assertEquals(200, fromA.statusCode());
            assertEquals(fromA.body(), fromB.body());

            // written through B, read through A
            b.app().leads().create(new NewLead(fixture.chatbot().id(), fixture.owner().id(), "via b", null, null, null, Instant.now()));
            assertTrue(a.get(url, fixture.key()).body().contains("\"name\":\"via b\""));
            assertEquals(a.get(url, fixture.key()).body(), b.get(url, fixture.key()).body());

            String keyId = a.app().apiKeys().listByOwner(fixture.owner().id()).stream()
                    .filter(k -> k.name().equals("live")).findFirst().orElseThrow().id();
            long revoked = System.nanoTime();
            assertTrue(a.app().apiKeys().revoke(keyId));
            assertEquals(401, a.get(url, fixture.key()).statusCode(), "at once on the server that revoked it");
            Duration took = null;
            Duration deadline = REVOCATION_BOUND.plus(Duration.ofSeconds(30));
            while (Duration.ofNanos(System.nanoTime() - revoked).compareTo(deadline) < 0) {
                if (b.get(url, fixture.key()).statusCode() == 401) {
                    took = Duration.ofNanos(System.nanoTime() - revoked);
                    break;
                }
                JarProcess.sleep(50);
            }
            assertTrue(took != null, "the revoked key still works on the other server after " + deadline);
            assertTrue(took.compareTo(REVOCATION_BOUND.plus(TOLERANCE)) <= 0,
                    "revocation reached the other server after " + took + ", documented bound " + REVOCATION_BOUND);
        }
    }
}
