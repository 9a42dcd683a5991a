package io.chatleads.webhook;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping a server lets attempts in flight finish, or leaves them due for retry; nothing is lost. */
class GracefulShutdownTest {

    @Test
    void anAttemptInFlightFinishesAndIsRecordedWhenTheServerStops() throws Exception {
        try (TestDatabase database = TestDatabase.sqlite();
             Receiver receiver = Receiver.ok()) {
            TestServer server = TestServer.start(database, AbstractWebhookHttpTest.FAST_DELIVERY);
            InFlight inFlight = deliveryInFlight(server, receiver);

            int port = server.port();
            Thread closer = new Thread(server::close);
            closer.start();
            // The HTTP side stops first; only then is the receiver let go, so the attempt is
            // still in flight while the server is shutting down.
            Receiver.await("the HTTP port to close", () -> !accepts(port));
            receiver.release();
            closer.join();

            try (Chatleads reopened = database.open()) {
                Delivery delivery = reopened.webhooks().findDelivery(inFlight.webhookId(), inFlight.deliveryId()).orElseThrow();
                assertEquals(Delivery.Status.SUCCEEDED, delivery.status());
                assertEquals(1, delivery.attempts());
                assertEquals(1, receiver.received().size());
            }
        }
    }

    @Test
    void anUnansweredAttemptEndsByItsTimeoutDuringShutdownAndIsLeftForRetry() {
        try (TestDatabase database = TestDatabase.sqlite();
             Receiver receiver = Receiver.ok()) {
            TestServer server = TestServer.start(database, AbstractWebhookHttpTest.FAST_DELIVERY);
            InFlight inFlight = deliveryInFlight(server, receiver); // never answered while the server runs

            // close() waits for the attempt: the grace period covers an attempt's longest run.
            server.close();

            try (Chatleads reopened = database.open()) {
                Delivery delivery = reopened.webhooks().findDelivery(inFlight.webhookId(), inFlight.deliveryId()).orElseThrow();
                assertEquals(Delivery.Status.PENDING, delivery.status());
                assertEquals(1, delivery.attemptLog().size());
                assertEquals("no response within 10 s", delivery.attemptLog().get(0).error());
                assertTrue(delivery.nextAttemptAt() != null, "scheduled for retry, by this server after a restart or any other");
            }
        }
    }

    private record InFlight(String webhookId, String deliveryId) {
    }

    /** A lead whose event's first attempt is now held by the receiver until it is released. */
    private static InFlight deliveryInFlight(TestServer server, Receiver receiver) {
        receiver.respondWith(n -> receiver.blockThen(200));
        Chatleads app = server.app();
        Owner owner = app.owners().create("stop@example.com");
        Chatbot chatbot = app.chatbots().create(owner.id(), "bot");
        Webhook hook = app.webhooks().create(owner.id(), null, receiver.url("/hook"), WebhookRepository.EVENT_TYPES).webhook();
        AbstractWebhookHttpTest.submitLead(server, chatbot, "stop@example.com");
        return new InFlight(hook.id(), receiver.awaitRequests(1).get(0).header("webhook-id"));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
