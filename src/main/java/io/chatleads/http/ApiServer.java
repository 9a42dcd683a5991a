package io.chatleads.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Chatleads;
import io.chatleads.Settings;
import io.chatleads.bench.BenchRoutes;
import io.chatleads.chatbot.ChatbotRoutes;
import io.chatleads.db.Dialect;
import io.chatleads.lead.EventLoopLeads;
import io.chatleads.lead.EraseLeadRoute;
import io.chatleads.lead.GetLeadsRoute;
import io.chatleads.lead.IdempotentLeadCreation;
import io.chatleads.lead.LeadCaptureRoute;
import io.chatleads.ops.ApiDocs;
import io.chatleads.ops.Health;
import io.chatleads.ops.OpsRoutes;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.WebhookRegistration;
import io.chatleads.webhook.WebhookRoutes;
import io.chatleads.webhook.WebhookSettings;
import io.chatleads.webhook.WebhookWorker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The HTTP server: Vert.x event loops, one per core, each with its own router and its own share of
 * the connections. Routes that wait on JDBC run on worker threads ({@link Routes}). With
 * {@code CHATLEADS_MANAGEMENT_PORT} set, a second, smaller server serves health and metrics there,
 * and the public port does not.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** A route as registered: what the OpenAPI test compares with the document's paths. */
    public record Route(String method, String path) {
    }

    private final Vertx vertx;
    // One event loop, and one public server, per core.
    private final int loops;
    private final Settings settings;
    private final Chatleads app;
    private final Health health;
    private final ServerLimits limits;
    private final ErrorMapping errors;
    private final Consumer<Routes> publicRoutes;
    private final Consumer<Routes> managementRoutes;
    private final Integer managementPortSetting;
    // Null on SQLite: each public event loop opens its own PostgreSQL connections with it.
    private final EventLoopLeads.Factory eventLoopLeads;
    private final WebhookSettings webhookSettings;
    private final Duration idempotencyKeyLifetime;
    // Every loop's router registers the same routes: kept once each, in order.
    private final Set<Route> routes = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<HttpServer> publicServers = new CopyOnWriteArrayList<>();
    private HttpServer managementServer;
    // Set by listen(): the server is then bound and working.
    private int port;
    private WebhookWorker webhookWorker;
    private AutoCloseable revocationWatch;
    private AutoCloseable idempotencyKeyExpiry;
    private boolean listening;

    private ApiServer(Vertx vertx, int loops, Settings settings, Chatleads app, Health health, ServerLimits limits,
                      ErrorMapping errors, Consumer<Routes> publicRoutes, Consumer<Routes> managementRoutes,
                      Integer managementPortSetting, EventLoopLeads.Factory eventLoopLeads, WebhookSettings webhookSettings,
                      Duration idempotencyKeyLifetime) {
        this.vertx = vertx;
        this.loops = loops;
        this.settings = settings;
        this.app = app;
        this.health = health;
        this.limits = limits;
        this.errors = errors;
        this.publicRoutes = publicRoutes;
        this.managementRoutes = managementRoutes;
        this.managementPortSetting = managementPortSetting;
        this.eventLoopLeads = eventLoopLeads;
        this.webhookSettings = webhookSettings;
        this.idempotencyKeyLifetime = idempotencyKeyLifetime;
    }

    /** {@link #prepare} and {@link #listen}: a server answering on its ports. */
    public static ApiServer start(Settings settings, Chatleads app) {
        ApiServer server = prepare(settings, app);
        server.listen();
        return server;
    }

    /**
     * Configures the server and its routes, without binding a port or touching the database:
     * {@code serve} does this while the database opens on another thread, then calls
     * {@link #listen} once the database is ready.
     */
    public static ApiServer prepare(Settings settings, Chatleads app) {
        ServerLimits limits = ServerLimits.from(settings);
        String managementPortSetting = settings.string("CHATLEADS_MANAGEMENT_PORT", "");
        Integer managementPort = managementPortSetting.isEmpty() ? null
                : settings.integer("CHATLEADS_MANAGEMENT_PORT", 0, 0, 65535);
        Health health = new Health(app.database(), Health.timeoutMillis(settings));
        // A body is one JSON value: without this, whatever follows the first value is silently ignored.
        ObjectMapper json = io.chatleads.json.NodeJson.mapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ErrorMapping errors = new ErrorMapping(json, limits);
        BearerAuth auth = new BearerAuth(app.authenticator(), RateLimits.perApiKey(settings));
        LeadCaptureRoute capture = new LeadCaptureRoute(auth, app.chatbotSettings(), app.leadCreation(),
                RateLimits.perWidgetClient(settings), RateLimits.trustForwardedFor(settings),
                json, app.clock());
        ChatbotRoutes chatbotRoutes = new ChatbotRoutes(auth, app.chatbots(), app.chatbotSettings(), json);
        OpsRoutes ops = new OpsRoutes(health, app.metrics(), json);
        ApiDocs docs = new ApiDocs();
        GetLeadsRoute getLeads = new GetLeadsRoute(auth, app.chatbots(), app.leads(), json, settings.responseEnvelope(),
                GetLeadsRoute.publicUrl(settings), limits.idleTimeoutSeconds());
        EraseLeadRoute erase = new EraseLeadRoute(auth, app.leads());
        WebhookSettings webhookSettings = WebhookSettings.from(settings);
        WebhookRoutes webhookRoutes = new WebhookRoutes(auth, new WebhookRegistration(app.chatbots(), app.webhooks(),
                new EndpointPolicy(webhookSettings.allowPrivate())), app.webhooks(), json);
        BenchRoutes bench = BenchRoutes.enabled(settings) ? new BenchRoutes() : null; // off unless CHATLEADS_BENCH_ENDPOINTS=true

        Consumer<Routes> publicRoutes = routes -> {
            docs.register(routes);
            if (managementPort == null) {
                ops.register(routes);
            }
            // ---- API routes: each feature adds its registration lines here, nothing else ----
            getLeads.register(routes);
            capture.register(routes);
            erase.register(routes);
            chatbotRoutes.install(routes);
            webhookRoutes.register(routes);
            if (bench != null) {
                bench.register(routes);
            }
            // ---- end of API routes ----
        };
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(loops)
                // Blocking routes wait on the connection pool; an export holds its thread to the end.
                .setWorkerPoolSize(Math.max(32, settings.dbPoolSize() * 2))
                .setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS)
                .setPreferNativeTransport(true));
        EventLoopLeads.Factory eventLoopLeads = app.database().dialect() != Dialect.POSTGRESQL ? null
                : EventLoopLeads.Factory.of(settings, app, writeConnectionsPerLoop(settings, loops));
        return new ApiServer(vertx, loops, settings, app, health, limits, errors, publicRoutes, ops::register, managementPort,
                eventLoopLeads, webhookSettings, IdempotentLeadCreation.keyLifetime(settings));
    }

    /**
     * Each loop's share of {@code CHATLEADS_DB_POOL_SIZE} for capture transactions, at least one:
     * as many captures can be in flight at once as through the JDBC pool.
     */
    static int writeConnectionsPerLoop(Settings settings, int loops) {
        return Math.max(1, (settings.dbPoolSize() + loops - 1) / loops);
    }

    /** Binds the ports, then starts the webhook worker, the revocation watch and the idempotency key expiry. Once. */
    public void listen() {
        try {
            port = deployOnEveryLoop(settings.port());
            if (managementPortSetting != null) {
                List<HttpServer> management = new ArrayList<>();
                deploy(managementPortSetting, managementRoutes, null, management, 1);
                managementServer = management.get(0);
            }
        } catch (RuntimeException e) {
            vertx.close();
            health.close();
            throw e;
        }
        listening = true;
        // The versions readiness compares with the schema history: resolved now, off the request path.
        health.resolveExpectedVersionsInBackground();
        webhookWorker = WebhookWorker.start(app.webhooks(), webhookSettings, Clock.systemUTC());
        app.metrics().bindWebhookWorker(webhookWorker);
        // Keys revoked by the command line or another server stop here within a quarter second.
        revocationWatch = app.authenticator().watchRevocations(Duration.ofMillis(250));
        idempotencyKeyExpiry = app.leadCreation().expireKeys(idempotencyKeyLifetime, Duration.ofMinutes(10));
    }

    /**
     * One server per event loop, all on one port, which Vert.x binds once and shares. Port 0 (tests)
     * means any free port: Vert.x would give each loop a port of its own, so one is picked first,
     * again if another process takes it in between.
     */
    private int deployOnEveryLoop(int requested) {
        for (int attempt = 1; ; attempt++) {
            try {
                return deploy(requested != 0 ? requested : freePort(), publicRoutes, eventLoopLeads, publicServers, loops);
            } catch (IllegalStateException e) {
                if (requested != 0 || attempt == 5 || !String.valueOf(e.getMessage()).contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port: " + e.getMessage(), e);
        }
    }

    /** Deploys {@code instances} event-loop servers on {@code port}; returns the port bound. */
    private int deploy(int port, Consumer<Routes> register, EventLoopLeads.Factory leadsFactory, List<HttpServer> servers,
                       int instances) {
        HttpServerOptions options = new HttpServerOptions()
                .setPort(port)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                // A client that stops halfway through its headers or body loses its connection.
                .setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                // HTTP/1.1 only, as behind any proxy: no h2c upgrade (the JDK's client asks for one)
                .setHttp2ClearTextEnabled(false)
                .setHandle100ContinueAutomatically(false)
                .setTcpNoDelay(true);
        InvalidRequests invalid = new InvalidRequests(limits, app.metrics());
        try {
            vertx.deployVerticle(() -> new VerticleBase() {
                private EventLoopLeads leads;

                @Override
                public Future<?> start() {
                    Future<EventLoopLeads> connecting = leadsFactory == null ? Future.succeededFuture() : leadsFactory.connect(vertx);
                    return connecting.compose(connected -> {
                        leads = connected;
                        return vertx.createHttpServer(options)
                                .requestHandler(router(register, connected))
                                .invalidRequestHandler(invalid)
                                .listen()
                                .onSuccess(servers::add);
                    });
                }

                @Override
                public Future<?> stop() {
                    return leads == null ? Future.succeededFuture() : leads.close();
                }
            }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding port " + port, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("binding port " + port + " took more than 30 s", e);
        }
        return servers.get(servers.size() - 1).actualPort();
    }

    /** One loop's router: what every server shares (ids, headers, access log, body limit, errors) around its routes. */
    private Router router(Consumer<Routes> register, EventLoopLeads eventLoopLeads) {
        Router router = Router.router(vertx);
        router.route().handler(new RequestContext(app.metrics()));
        router.route().handler(new RequestBodies(limits));
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        register.accept(new Routes(router, routes::add, eventLoopLeads));
        router.route().failureHandler(errors::handle);
        for (int status : new int[]{400, 404, 405, 413, 500}) {
            router.errorHandler(status, errors::handle);
        }
        return router;
    }

    public int port() {
        return port;
    }

    /** The management port, when {@code CHATLEADS_MANAGEMENT_PORT} is set. */
    public Integer managementPort() {
        return managementServer == null ? null : managementServer.actualPort();
    }

    /** Every HTTP route of the public server. */
    public List<Route> routes() {
        synchronized (routes) {
            return List.copyOf(routes);
        }
    }

    /**
     * Stops gracefully: readiness turns 503, the port stops accepting, requests in flight get up to
     * {@code CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS} to finish.
     */
    @Override
    public void close() {
        if (!listening) {
            // prepared, never bound: nothing runs yet
            vertx.close();
            health.close();
            return;
        }
        health.shuttingDown();
        log.info("stopping: no new connections; requests in flight have up to {} s", limits.shutdownTimeoutSeconds());
        shutdown(publicServers);
        // After HTTP stops (no new leads), before the caller closes the database: attempts in
        // flight finish and are recorded.
        webhookWorker.close();
        if (managementServer != null) {
            shutdown(List.of(managementServer));
        }
        health.close();
        try {
            revocationWatch.close();
        } catch (Exception e) {
            log.warn("cannot stop the revocation watch: {}", e.toString());
        }
        try {
            idempotencyKeyExpiry.close();
        } catch (Exception e) {
            log.warn("cannot stop the idempotency key expiry: {}", e.toString());
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(limits.shutdownTimeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("event loops still busy after {} s are abandoned: {}", limits.shutdownTimeoutSeconds(), e.toString());
        }
    }

    /** The webhook delivery worker, for metrics: outbox depth, attempt outcomes, attempts in flight. */
    public WebhookWorker webhookWorker() {
        return webhookWorker;
    }

    private void shutdown(List<HttpServer> servers) {
        List<Future<Void>> stopping = new ArrayList<>();
        for (HttpServer server : servers) {
            stopping.add(server.shutdown(limits.shutdownTimeoutSeconds(), TimeUnit.SECONDS));
        }
        try {
            Future.join(stopping).toCompletionStage().toCompletableFuture()
                    .get(limits.shutdownTimeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the requests still running are cut off when the pool closes
            log.warn("requests still in flight after {} s are abandoned: {}", limits.shutdownTimeoutSeconds(), e.toString());
        }
    }
}
