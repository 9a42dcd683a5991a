package io.chatleads.webhook;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP receiver on a free loopback port that records every request and answers with the
 * status its responder picks for the n-th request (1-based). A responder may block, to hold an
 * attempt in flight, until {@link #release()}.
 */
public final class Receiver implements AutoCloseable {

    /** One request as received: headers by lower-case name, and the raw body. */
    public record Received(Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        /** A receiver's Standard Webhooks check: any one of the space-separated signatures verifies with this secret. */
        public boolean signedWith(String secret) throws java.security.GeneralSecurityException {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(
                    (header("webhook-id") + "." + header("webhook-timestamp") + "." + body)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            for (String signature : header("webhook-signature").split(" ")) {
                if (java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        signature.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile IntUnaryOperator responder;

    private Receiver(IntUnaryOperator responder) {
        this.responder = responder;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            int number;
            synchronized (received) {
                received.add(new Received(headers, body));
                number = received.size();
            }
            int status = this.responder.applyAsInt(number);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static Receiver start(IntUnaryOperator responder) {
        return new Receiver(responder);
    }

    /** Answers every request with 200. */
    public static Receiver ok() {
        return start(n -> 200);
    }

    public void respondWith(IntUnaryOperator newResponder) {
        this.responder = newResponder;
    }

    /** For a responder: blocks until {@link #release()}, then answers {@code status}. */
    public int blockThen(int status) {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return status;
    }

    public void release() {
        released.countDown();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until at least {@code count} requests arrived; fails after a generous cap. */
    public List<Received> awaitRequests(int count) {
        await("the receiver to get " + count + " requests (has " + received().size() + ")", () -> received().size() >= count);
        return received();
    }

    /** Polls {@code done} until true, failing after 60 s. Waits for progress; it does not measure time. */
    public static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
