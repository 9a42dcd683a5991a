package io.chatleads.webhook;

import io.chatleads.RandomIds;
import io.chatleads.webhook.Delivery.Status;
import io.chatleads.webhook.EndpointPolicy.EndpointRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends due deliveries in the background. One poller thread leases as many due deliveries as there
 * are free sending threads, and each attempt runs without a database connection. Several servers
 * may run one each on the same database: the lease (see {@link WebhookRepository#claim}) makes each
 * attempt one server's, and a server that dies leaves its leases to expire to the others.
 *
 * <p>Each attempt resolves the endpoint's host once, checks every address ({@link EndpointPolicy}),
 * and connects to the first of them, sending the original host name as {@code Host} and as the TLS
 * server name, against which the certificate is verified: the HTTP client never resolves the name
 * itself. The JDK's HttpClient cannot be told which address to connect to (it always resolves the
 * URI's host), so the client is Vert.x's, whose {@link RequestOptions#setServer} takes the address
 * while {@code host} keeps naming the server. It runs on a small Vert.x instance of the worker's own,
 * with one event loop; the sending threads wait on its answers.
 */
public final class WebhookWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** On close, attempts in flight get this long to finish: one whole attempt. */
    private static final long SHUTDOWN_GRACE_MILLIS = CONNECT_TIMEOUT.plus(REQUEST_TIMEOUT).toMillis();

    private final WebhookRepository webhooks;
    private final WebhookSettings settings;
    private final EndpointPolicy policy;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final String serverId;
    /** Null: the JDK's trust store. Tests trust their own certificate authority. */
    private final TrustOptions tls;
    /** Built by the first attempt, on a sender thread: its TLS set-up is slow and must not delay start-up. */
    private volatile Vertx vertx;
    private volatile HttpClient http;
    private final Semaphore freeSenders;
    private final ExecutorService senders;
    private final Thread poller;
    private volatile boolean running = true;

    private final AtomicLong attemptsSucceeded = new AtomicLong();
    private final AtomicLong attemptsFailed = new AtomicLong();
    private final AtomicLong deliveriesFailed = new AtomicLong();

    private WebhookWorker(WebhookRepository webhooks, WebhookSettings settings, Clock clock, EndpointPolicy policy,
                          TrustOptions tls) {
        this.webhooks = webhooks;
        this.settings = settings;
        this.policy = policy;
        this.tls = tls;
        this.schedule = new RetrySchedule(settings.retryBaseMillis(), settings.maxAttempts());
        this.clock = clock;
        this.serverId = "srv-" + ProcessHandle.current().pid() + "-" + RandomIds.urlSafe(8);
        this.freeSenders = new Semaphore(settings.concurrency());
        this.senders = Executors.newFixedThreadPool(Math.max(1, settings.concurrency()), daemonThreads("chatleads-webhook-sender"));
        this.poller = daemonThreads("chatleads-webhook-poller").newThread(this::pollLoop);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1).setUseDaemonThread(true)
                    // The first TLS connection builds the JDK's TLS context on this loop (seconds on a
                    // cold JVM); nothing else runs here, so that is no reason for a warning.
                    .setMaxEventLoopExecuteTime(10).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
            HttpClientOptions options = new HttpClientOptions()
                    .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                    // No h2c upgrade dance with plain-http receivers.
                    .setProtocolVersion(HttpVersion.HTTP_1_1)
                    // The name goes in the TLS handshake even though the connection is made to an address.
                    .setForceSni(true)
                    .setVerifyHost(true)
                    // Each attempt on a connection of its own: closed after the status line (the body is not read).
                    .setKeepAlive(false)
                    .setName("chatleads-webhooks");
            if (tls != null) {
                options.setTrustOptions(tls);
            }
            http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(Math.max(1, settings.concurrency())));
        }
        return http;
    }

    /** Starts delivering; with {@code CHATLEADS_WEBHOOK_CONCURRENCY=0} the worker exists but never claims work. */
    public static WebhookWorker start(WebhookRepository webhooks, WebhookSettings settings, Clock clock) {
        return start(webhooks, settings, clock, new EndpointPolicy(settings.allowPrivate()), null);
    }

    /** {@link #start} with the name resolution of {@code policy} and, unless null, the trust of {@code tls}: for tests. */
    static WebhookWorker start(WebhookRepository webhooks, WebhookSettings settings, Clock clock, EndpointPolicy policy,
                               TrustOptions tls) {
        WebhookWorker worker = new WebhookWorker(webhooks, settings, clock, policy, tls);
        if (settings.concurrency() > 0) {
            worker.poller.start();
        }
        return worker;
    }

    /** Names this server in leases and attempt records. */
    public String serverId() {
        return serverId;
    }

    /** Attempts answered with a 2xx, since start. */
    public long attemptsSucceeded() {
        return attemptsSucceeded.get();
    }

    /** Attempts that failed (non-2xx, network error, refused endpoint), since start. */
    public long attemptsFailed() {
        return attemptsFailed.get();
    }

    /** Deliveries that used up their attempts here and are now failed, since start. */
    public long deliveriesFailed() {
        return deliveriesFailed.get();
    }

    /** Attempts running right now. */
    public int inFlight() {
        return settings.concurrency() - freeSenders.availablePermits();
    }

    /** Deliveries not yet finished, across all servers: the outbox depth. Runs a count query. */
    public long outboxDepth() {
        return webhooks.pendingCount();
    }

    private void pollLoop() {
        while (running) {
            try {
                freeSenders.acquire();
                int wanted = 1 + freeSenders.drainPermits();
                List<ClaimedDelivery> claimed;
                try {
                    claimed = webhooks.claim(serverId, wanted, settings.leaseMillis());
                } catch (RuntimeException e) {
                    freeSenders.release(wanted);
                    log.warn("cannot claim webhook deliveries: {}", e.getMessage());
                    Thread.sleep(settings.pollMillis());
                    continue;
                }
                freeSenders.release(wanted - claimed.size());
                for (ClaimedDelivery delivery : claimed) {
                    senders.execute(() -> {
                        try {
                            attempt(delivery);
                        } finally {
                            freeSenders.release();
                        }
                    });
                }
                if (claimed.isEmpty()) {
                    webhooks.awaitNewWork(settings.pollMillis());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One attempt, and its outcome recorded. Never throws: a failure to record leaves the lease to expire. */
    void attempt(ClaimedDelivery delivery) {
        long startedAt = clock.millis();
        long startNanos = System.nanoTime();
        Integer statusCode = null;
        String error;
        boolean interrupted = false;
        try {
            URI endpoint = EndpointPolicy.parse(delivery.endpoint());
            // The one look-up of this attempt: the connection goes to an address it returned.
            InetAddress address = policy.resolveChecked(endpoint).get(0);
            RequestOptions request = request(endpoint, address);
            WebhookSigner.headers(webhooks.openSecret(delivery), webhooks.openPreviousSecret(delivery), delivery.id(),
                            startedAt / 1000, delivery.body())
                    .forEach(request::putHeader);
            if (WebhookTestEvent.isTest(delivery.id())) {
                request.putHeader(WebhookTestEvent.HEADER, "true");
            }
            statusCode = send(request, delivery.body());
            error = statusCode >= 200 && statusCode <= 299 ? null
                    : statusCode >= 300 && statusCode <= 399 ? "HTTP " + statusCode + " (redirects are not followed)"
                    : "HTTP " + statusCode;
        } catch (EndpointRefused e) {
            error = "refused: " + e.getMessage();
        } catch (ConnectTimeoutException e) {
            error = "connect timed out after " + CONNECT_TIMEOUT.toSeconds() + " s";
        } catch (TimeoutException e) {
            error = "no response within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } catch (ConnectException e) {
            // The JDK client's ConnectException for a closed port carries no message at any level,
            // which left owners reading "cannot connect: ConnectException".
            String reason = firstMessage(e);
            error = "cannot connect: " + (reason != null ? reason : "connection refused or host unreachable");
        } catch (IOException e) {
            error = "network error: " + describe(e);
        } catch (InterruptedException e) {
            interrupted = true;
            error = "interrupted: this server shut down during the attempt";
        } catch (RuntimeException e) {
            error = "cannot send: " + describe(e);
        }
        AttemptOutcome outcome = new AttemptOutcome(startedAt, (System.nanoTime() - startNanos) / 1_000_000, statusCode, error);
        record(delivery, outcome, interrupted);
    }

    /** A POST of the endpoint's path and query to {@code address}, naming the endpoint's host in {@code Host} and SNI. */
    private static RequestOptions request(URI endpoint, InetAddress address) {
        boolean tls = endpoint.getScheme().toLowerCase(Locale.ROOT).equals("https");
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : tls ? 443 : 80;
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        String query = endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery();
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setHost(EndpointPolicy.host(endpoint))
                .setPort(port)
                .setSsl(tls)
                .setURI(path + query)
                // A redirect could lead to an address the endpoint policy refuses; a 3xx is a failure.
                .setFollowRedirects(false)
                .setConnectTimeout(CONNECT_TIMEOUT.toMillis())
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "chatleads-webhooks");
    }

    /**
     * Sends the request and waits, at most one whole attempt, for the status; the response body is
     * not read: the connection is closed once the status is in, which also stops a receiver that
     * streams forever. Throws what the connection failed with.
     */
    private int send(RequestOptions options, String body) throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<HttpClientRequest> sent = new CompletableFuture<>();
        CompletableFuture<Integer> status = http().request(options)
                .compose(request -> {
                    sent.complete(request);
                    return request.send(Buffer.buffer(body));
                })
                .map(response -> {
                    int code = response.statusCode();
                    closeConnection(response);
                    return code;
                })
                .toCompletionStage().toCompletableFuture();
        try {
            // The client's own timeouts come first; this bounds a receiver that trickles bytes forever.
            return status.get(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.thenAccept(HttpClientRequest::reset);
            throw new TimeoutException("no response");
        } catch (InterruptedException e) {
            sent.thenAccept(HttpClientRequest::reset);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof TimeoutException timeout) {
                throw timeout;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    private static void closeConnection(HttpClientResponse response) {
        response.request().connection().close();
    }

    private void record(ClaimedDelivery delivery, AttemptOutcome outcome, boolean interrupted) {
        Status status;
        Long nextAttemptAt;
        if (outcome.succeeded()) {
            attemptsSucceeded.incrementAndGet();
            status = Status.SUCCEEDED;
            nextAttemptAt = null;
        } else if (interrupted) {
            // Cut short by shutdown: due again at once, for whichever server is still running.
            attemptsFailed.incrementAndGet();
            status = Status.PENDING;
            nextAttemptAt = clock.millis();
        } else if (schedule.exhausted(delivery.attempt(), delivery.attemptsAllowed())) {
            attemptsFailed.incrementAndGet();
            deliveriesFailed.incrementAndGet();
            status = Status.FAILED;
            nextAttemptAt = null;
            log.warn("webhook delivery {} of webhook {} failed after attempt {}: {}",
                    delivery.id(), delivery.webhookId(), delivery.attempt(), outcome.error());
        } else {
            attemptsFailed.incrementAndGet();
            status = Status.PENDING;
            nextAttemptAt = clock.millis() + schedule.delayAfter(delivery.attempt());
        }
        try {
            if (!webhooks.complete(delivery, serverId, outcome, status, nextAttemptAt)) {
                log.info("webhook delivery {} attempt {} finished after its lease was lost; recorded the attempt only",
                        delivery.id(), delivery.attempt());
            }
        } catch (RuntimeException e) {
            log.warn("cannot record attempt {} of webhook delivery {}; its lease will expire and it is retried: {}",
                    delivery.attempt(), delivery.id(), e.getMessage());
        }
    }

    /** The first message in the cause chain, else the exception's class name. */
    private static String describe(Throwable e) {
        String message = firstMessage(e);
        return message != null ? message : e.getClass().getSimpleName();
    }

    /** The first message in the cause chain, or null: the HTTP client often wraps the telling one. */
    private static String firstMessage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return null;
    }

    /**
     * Stops claiming, lets attempts in flight finish for up to one attempt's length, then
     * interrupts the rest, which are recorded as due again at once. Whatever cannot be recorded
     * stays leased until the lease expires and is then retried: nothing is lost either way.
     * Call before the database closes.
     */
    @Override
    public void close() {
        running = false;
        poller.interrupt();
        try {
            poller.join(SHUTDOWN_GRACE_MILLIS);
            senders.shutdown();
            if (!senders.awaitTermination(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
                senders.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            closeClient();
        }
    }

    private synchronized void closeClient() {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("the webhook client did not close cleanly: {}", e.toString());
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
