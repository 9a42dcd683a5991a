package io.chatleads.webhook;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20, point 7: an attempt resolves its endpoint's host once, through the policy's resolver,
 * and connects to an address of that answer with the original name in {@code Host} and TLS SNI.
 * Names under {@code .invalid} never resolve in real DNS, so a delivery to one arrives only if the
 * client connected to the address the policy's resolver gave. No test connects to a public address
 * (this workplace sends nothing off the machine); that a public first answer followed by loopback
 * cannot reach loopback follows from the single look-up, counted here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PinnedDeliveryTest {

    private static final String NAME = "hooks.invalid";

    private TestDatabase database;
    private Chatleads app;
    private Owner owner;
    private Chatbot chatbot;

    @BeforeAll
    void open() {
        database = TestDatabase.sqlite();
        app = database.open();
        owner = app.owners().create("pinned@example.com");
        chatbot = app.chatbots().create(owner.id(), "bot");
    }

    @AfterAll
    void close() {
        app.close();
        database.close();
    }

    /** A resolver that answers {@code answers[n]} on the n-th look-up (the last one from then on), counting them. */
    private static final class ScriptedResolver implements EndpointPolicy.Resolver {
        final AtomicInteger lookups = new AtomicInteger();
        private final List<InetAddress[]> answers;

        ScriptedResolver(InetAddress[]... answers) {
            this.answers = List.of(answers);
        }

        @Override
        public InetAddress[] resolve(String host) {
            int n = lookups.getAndIncrement();
            return answers.get(Math.min(n, answers.size() - 1));
        }
    }

    private static InetAddress[] addresses(String... literals) throws IOException {
        InetAddress[] out = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            out[i] = InetAddress.getByName(literals[i]);
        }
        return out;
    }

    private WebhookWorker worker(EndpointPolicy policy, io.vertx.core.net.TrustOptions trust) {
        // concurrency 0: it never polls; the test hands it each claimed delivery
        return WebhookWorker.start(app.webhooks(), new WebhookSettings(policy.allowsPrivate(), 0, 1_000, 1_000, 3, 60_000, 24),
                Clock.systemUTC(), policy, trust);
    }

    /** A lead's delivery to {@code webhook}, claimed and attempted by {@code worker}; its recorded attempt. */
    private Delivery.Attempt deliver(WebhookWorker worker, Webhook webhook) {
        app.leads().create(new NewLead(chatbot.id(), owner.id(), "A", "a@example.com", null, null, Instant.now()));
        ClaimedDelivery claimed = app.webhooks().claim(worker.serverId(), 10_000, 60_000).stream()
                .filter(c -> c.webhookId().equals(webhook.id())).findFirst().orElseThrow();
        worker.attempt(claimed);
        List<Delivery.Attempt> attempts = app.webhooks().findDelivery(webhook.id(), claimed.id()).orElseThrow().attemptLog();
        return attempts.get(attempts.size() - 1);
    }

    @Test
    void theAttemptConnectsToTheCheckedAddressAndNamesTheOriginalHost() throws Exception {
        ScriptedResolver resolver = new ScriptedResolver(addresses("127.0.0.1"));
        try (Receiver receiver = Receiver.ok();
             WebhookWorker worker = worker(new EndpointPolicy(true, resolver), null)) {
            int port = Integer.parseInt(receiver.url("").replaceAll(".*:", ""));
            Webhook webhook = app.webhooks().create(owner.id(), chatbot.id(), "http://" + NAME + ":" + port + "/hook?x=1",
                    WebhookRepository.EVENT_TYPES).webhook();
            Delivery.Attempt attempt = deliver(worker, webhook);
            assertEquals(200, attempt.statusCode(), attempt.error());
            Receiver.Received received = receiver.awaitRequests(1).get(0);
            assertEquals(NAME + ":" + port, received.header("host"));
            assertEquals(1, resolver.lookups.get(), "one look-up for the attempt, and none by the HTTP client");
            assertNotNull(received.header("webhook-signature"));
        }
    }

    @Test
    void aNameThatAnswersPublicThenLoopbackNeverReachesLoopback() throws Exception {
        ScriptedResolver resolver = new ScriptedResolver(addresses("93.184.215.14"), addresses("127.0.0.1"));
        EndpointPolicy strict = new EndpointPolicy(false, resolver);
        try (Receiver receiver = Receiver.ok(); WebhookWorker worker = worker(strict, null)) {
            int port = Integer.parseInt(receiver.url("").replaceAll(".*:", ""));
            // Registration checks the name: it answers a public address and is accepted.
            CreatedWebhook created = new WebhookRegistration(app.chatbots(), app.webhooks(), strict)
                    .register(owner.id(), chatbot.id(), "http://rebind." + NAME + ":" + port + "/hook", null);
            assertEquals(1, resolver.lookups.get());
            // Before the attempt it answers loopback: refused, and nothing is sent.
            Delivery.Attempt attempt = deliver(worker, created.webhook());
            assertEquals(null, attempt.statusCode());
            assertTrue(attempt.error().startsWith("refused: endpoint host 'rebind." + NAME + "' resolves to 127.0.0.1"), attempt.error());
            assertTrue(attempt.error().contains(EndpointPolicy.ALLOW_PRIVATE_SETTING), attempt.error());
            assertEquals(2, resolver.lookups.get(), "exactly one look-up for the attempt");
            assertEquals(List.of(), receiver.received());
        }
    }

    @Test
    void anAnswerWithAPublicAddressFirstAndLoopbackSecondIsRefusedWithoutConnecting() throws Exception {
        ScriptedResolver resolver = new ScriptedResolver(addresses("93.184.215.14", "127.0.0.1"));
        try (Receiver receiver = Receiver.ok(); WebhookWorker worker = worker(new EndpointPolicy(false, resolver), null)) {
            int port = Integer.parseInt(receiver.url("").replaceAll(".*:", ""));
            Webhook webhook = app.webhooks().create(owner.id(), chatbot.id(), "http://mixed." + NAME + ":" + port + "/hook",
                    WebhookRepository.EVENT_TYPES).webhook();
            Delivery.Attempt attempt = deliver(worker, webhook);
            assertTrue(attempt.error().startsWith("refused: "), attempt.error());
            assertEquals(1, resolver.lookups.get());
            assertEquals(List.of(), receiver.received());
        }
    }

    /**
     * HTTPS to 127.0.0.1 for a name only the resolver knows: the client sends the name as SNI and
     * verifies the certificate against it (the certificate names hooks.invalid only), so the same
     * address under another name fails the handshake.
     */
    @Test
    void overTlsTheNameIsTheServerNameAndWhatTheCertificateIsCheckedAgainst() throws Exception {
        Path dir = Files.createTempDirectory("chatleads-tls");
        Path keystore = dir.resolve("receiver.p12");
        Path certificate = dir.resolve("receiver.pem");
        run("keytool", "-genkeypair", "-alias", "receiver", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + NAME, "-ext", "SAN=dns:" + NAME, "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        run("keytool", "-exportcert", "-rfc", "-alias", "receiver", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", certificate.toString());

        Queue<String> serverNames = new ConcurrentLinkedQueue<>();
        Queue<String> hosts = new ConcurrentLinkedQueue<>();
        Vertx vertx = Vertx.vertx();
        HttpServer https = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
                        .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("changeit")))
                .requestHandler(request -> {
                    serverNames.add(String.valueOf(request.connection().indicatedServerName()));
                    hosts.add(request.authority().toString());
                    request.response().setStatusCode(204).end();
                });
        https.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try (WebhookWorker worker = worker(new EndpointPolicy(true, new ScriptedResolver(addresses("127.0.0.1"))),
                new PemTrustOptions().addCertPath(certificate.toString()))) {
            int port = https.actualPort();
            Webhook named = app.webhooks().create(owner.id(), chatbot.id(), "https://" + NAME + ":" + port + "/hook",
                    WebhookRepository.EVENT_TYPES).webhook();
            Delivery.Attempt attempt = deliver(worker, named);
            assertEquals(204, attempt.statusCode(), attempt.error());
            assertEquals(List.of(NAME), List.copyOf(serverNames));
            assertEquals(List.of(NAME + ":" + port), List.copyOf(hosts));

            Webhook otherName = app.webhooks().create(owner.id(), chatbot.id(), "https://other.invalid:" + port + "/hook",
                    WebhookRepository.EVENT_TYPES).webhook();
            Delivery.Attempt refused = deliver(worker, otherName);
            assertEquals(null, refused.statusCode(), "the certificate does not name other.invalid");
            assertNotNull(refused.error());
            assertEquals(1, hosts.size(), "nothing was served to the wrong name");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (Path file : List.of(keystore, certificate, dir)) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, String.join(" ", command) + ": " + output);
    }
}
