package io.chatleads.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Settings;
import io.chatleads.apikey.ApiKeyRoutes;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.bench.BenchRoutes;
import io.chatleads.chatbot.ChatbotRoutes;
import io.chatleads.console.Console;
import io.chatleads.db.Dialect;
import io.chatleads.db.LoopConnections;
import io.chatleads.db.LoopStaleReads;
import io.chatleads.db.PostgresConnectOptions;
import io.chatleads.http.EventLoopServer;
import io.chatleads.http.EventLoopServer.Listener;
import io.chatleads.http.EventLoopServer.LoopRoutes;
import io.chatleads.http.RateLimit;
import io.chatleads.http.RateLimiter;
import io.chatleads.http.RedisBuckets;
import io.chatleads.http.SharedRateLimiter;
import io.chatleads.http.Route;
import io.chatleads.http.Routes;
import io.chatleads.json.NodeJson;
import io.chatleads.lead.EraseLeadRoute;
import io.chatleads.lead.EventLoopLeads;
import io.chatleads.lead.GetLeadsRoute;
import io.chatleads.lead.LeadCaptureRoute;
import io.chatleads.lead.LeadStatsRoute;
import io.chatleads.ops.ApiDocs;
import io.chatleads.ops.Health;
import io.chatleads.ops.OpsRoutes;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.WebhookMeters;
import io.chatleads.webhook.WebhookRegistration;
import io.chatleads.webhook.WebhookRoutes;
import io.chatleads.webhook.WebhookWorker;
import io.chatleads.widget.NoScriptAnswers;
import io.chatleads.widget.WidgetRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The running server, assembled here: every route of every feature on the HTTP toolkit's
 * event-loop servers ({@link EventLoopServer}), each loop's own PostgreSQL connections, and the
 * background jobs (webhook delivery, the revocation watch, the idempotency key expiry). With
 * {@code CHATLEADS_MANAGEMENT_PORT} set, a second, smaller server serves health and metrics there,
 * and the public port does not.
 */
public final class Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final Settings settings;
    private final ServerConfig config;
    private final Chatleads app;
    private final EventLoopServer http;
    private final Health health;
    // The routes of one public loop, given that loop's lead queries (null on SQLite).
    private final Function<EventLoopLeads, Consumer<Routes>> routesOfLoop;
    private final OpsRoutes ops;
    // Null on SQLite: each public event loop opens its own PostgreSQL connections with these.
    private final PgConnectOptions loopConnections;
    private Listener publicListener;
    private Listener managementListener;
    private WebhookWorker webhookWorker;
    private AutoCloseable revocationWatch;
    private AutoCloseable idempotencyKeyExpiry;
    private AutoCloseable leadRetention;
    // Null unless CHATLEADS_REDIS_URL shares the rate limits; connected by listen().
    private final RedisBuckets sharedBuckets;

    private Server(Settings settings, ServerConfig config, Chatleads app) {
        this.settings = settings;
        this.config = config;
        this.app = app;
        this.health = new Health(app.database(), app.readReplicas(), config.healthTimeoutMillis());
        // A body is one JSON value: without this, whatever follows the first value is silently ignored.
        ObjectMapper json = NodeJson.mapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        int loops = Runtime.getRuntime().availableProcessors();
        this.http = new EventLoopServer(loops, Math.max(32, settings.dbPoolSize() * 2), config.limits(), json,
                app.metrics().registry());
        this.loopConnections = app.database().dialect() == Dialect.POSTGRESQL ? PostgresConnectOptions.of(settings) : null;

        this.sharedBuckets = config.sharedLimits() == null ? null
                : new RedisBuckets(config.sharedLimits().redisUrl(), config.sharedLimits().keyPrefix(), app.metrics().registry());
        BearerAuth auth = new BearerAuth(app.authenticator(), rateLimit("api", config.perApiKey()));
        GetLeadsRoute getLeads = new GetLeadsRoute(auth, app.chatbots(), app.leads(), json, settings.responseEnvelope(),
                config.publicUrl(), config.limits().idleTimeoutSeconds());
        LeadCaptureRoute capture = new LeadCaptureRoute(auth, app.chatbotSettings(), app.leadCreation(),
                rateLimit("widget", config.perWidgetClient()), config.trustForwardedFor(), json, app.clock(),
                new NoScriptAnswers(app.widgetSettings()), app.metrics().registry());
        EraseLeadRoute erase = new EraseLeadRoute(auth, app.leads());
        ChatbotRoutes chatbots = new ChatbotRoutes(auth, app.chatbots(), app.chatbotSettings(), json);
        WebhookRoutes webhooks = new WebhookRoutes(auth, new WebhookRegistration(app.chatbots(), app.webhooks(),
                new EndpointPolicy(config.webhooks().allowPrivate())), app.webhooks(), json, config.webhooks());
        WidgetRoutes widget = new WidgetRoutes(auth, app.chatbots(), app.chatbotSettings(), app.widgetSettings(), json);
        LeadStatsRoute leadStats = new LeadStatsRoute(auth, app.chatbots(), app.leadStats(), json, app.clock());
        ApiKeyRoutes apiKeys = new ApiKeyRoutes(auth, app.apiKeys(), json);
        Console console = new Console(app.accounts(), app.chatbots(), app.chatbotSettings(), app.widgetSettings(), app.leads(),
                app.leadSearch(), app.leadStats(), app.apiKeys(), app.webhooks(), new WebhookRegistration(app.chatbots(), app.webhooks(),
                new EndpointPolicy(config.webhooks().allowPrivate())), app.webhookTestEvents(), app.clock(),
                config.publicUrl(), config.trustForwardedFor(), config.limits().idleTimeoutSeconds(),
                config.webhooks().secretGraceMillis());
        ApiDocs docs = new ApiDocs();
        BenchRoutes bench = config.benchRoutes() ? new BenchRoutes() : null; // off unless CHATLEADS_BENCH_ENDPOINTS=true
        this.ops = new OpsRoutes(health, app.metrics(), json);
        Consumer<Routes> otherRoutes = routes -> {
            docs.register(routes);
            if (config.managementPort() == null) {
                ops.register(routes);
            }
            erase.register(routes);
            chatbots.register(routes);
            webhooks.register(routes);
            widget.register(routes);
            leadStats.register(routes);
            apiKeys.register(routes);
            console.register(routes);
            if (bench != null) {
                bench.register(routes);
            }
        };
        // ---- every public route: a feature adds its registration line here, nothing else ----
        // The two hot routes get the loop's own connections (null on SQLite).
        this.routesOfLoop = loopLeads -> routes -> {
            getLeads.register(routes, loopLeads);
            capture.register(routes, loopLeads);
            otherRoutes.accept(routes);
        };
    }

    /** {@code local} as it is, or shared through Redis when {@code CHATLEADS_REDIS_URL} is set (falling back to it). */
    private RateLimit rateLimit(String name, RateLimiter local) {
        return sharedBuckets == null || !local.enabled() ? local : new SharedRateLimiter(name, local, sharedBuckets,
                config.sharedLimits().leasePercent(), Clock.systemUTC(), app.metrics().registry());
    }

    /** {@link #prepare} and {@link #listen}: a server answering on its ports. */
    public static Server start(Settings settings, Chatleads app) {
        Server server = prepare(settings, app);
        server.listen();
        return server;
    }

    /**
     * Configures the server and its routes, without binding a port or touching the database:
     * {@code serve} does this while the database opens on another thread, then calls
     * {@link #listen} once the database is ready.
     */
    public static Server prepare(Settings settings, Chatleads app) {
        return new Server(settings, ServerConfig.read(settings), app);
    }

    /**
     * Each loop's share of {@code CHATLEADS_DB_POOL_SIZE} for capture transactions, at least one:
     * as many captures can be in flight at once as through the JDBC pool.
     */
    static int writeConnectionsPerLoop(Settings settings, int loops) {
        return Math.max(1, (settings.dbPoolSize() + loops - 1) / loops);
    }

    /** What each public event loop opens (on PostgreSQL, its own connections) before it serves its routes. */
    private Future<LoopRoutes> publicLoop(Vertx vertx) {
        if (loopConnections == null) {
            return Future.succeededFuture(LoopRoutes.of(routesOfLoop.apply(null)));
        }
        int writers = writeConnectionsPerLoop(settings, Runtime.getRuntime().availableProcessors());
        return LoopConnections.open(vertx, loopConnections, writers).map(connections -> {
            // This loop's connections to the read replicas, opened on their first page.
            LoopStaleReads pages = LoopStaleReads.open(vertx, connections, app.readReplicas());
            Consumer<Routes> register = routesOfLoop.apply(new EventLoopLeads(connections, pages, app.eventLoopLeadListeners()));
            return new LoopRoutes() {
                @Override
                public void register(Routes routes) {
                    register.accept(routes);
                }

                @Override
                public Future<?> stop() {
                    return Future.join(pages.close(), connections.close());
                }
            };
        });
    }

    /** Binds the ports, then starts the webhook worker, the revocation watch and the idempotency key expiry. Once. */
    public void listen() {
        if (sharedBuckets != null) {
            sharedBuckets.start();
        }
        try {
            publicListener = http.listenOnEveryLoop(settings.port(), this::publicLoop);
            if (config.managementPort() != null) {
                managementListener = http.listen(config.managementPort(),
                        vertx -> Future.succeededFuture(LoopRoutes.of(ops::register)), 1);
            }
        } catch (RuntimeException e) {
            http.close();
            health.close();
            closeSharedBuckets();
            throw e;
        }
        log.info("HTTP on {} event loops, transport {}", Runtime.getRuntime().availableProcessors(), http.transport());
        // Each read replica's state and lag, checked now and then every CHATLEADS_DB_READ_CHECK_MS.
        app.readReplicas().start();
        // The versions readiness compares with the schema history: resolved now, off the request path.
        health.resolveExpectedVersionsInBackground();
        webhookWorker = WebhookWorker.start(app.webhooks(), config.webhooks(), Clock.systemUTC());
        WebhookMeters.register(app.metrics().registry(), webhookWorker);
        // Keys revoked by the command line or another server stop here within a quarter second.
        revocationWatch = app.authenticator().watchRevocations(Duration.ofMillis(250));
        idempotencyKeyExpiry = app.leadCreation().expireKeys(config.idempotencyKeyLifetime(), Duration.ofMinutes(10));
        // Every server, every 10 minutes; owners with their own retention are purged even when the default is forever.
        leadRetention = app.leadRetention().everyServer(config.leadRetentionDays(), Duration.ofMinutes(10));
    }

    public int port() {
        return publicListener.port();
    }

    /** The management port, when {@code CHATLEADS_MANAGEMENT_PORT} is set. */
    public Integer managementPort() {
        return managementListener == null ? null : managementListener.port();
    }

    /** Every HTTP route of the public server. */
    public List<Route> routes() {
        return publicListener.routes();
    }

    /** The webhook delivery worker, for tests: outbox depth, attempt outcomes, attempts in flight. */
    public WebhookWorker webhookWorker() {
        return webhookWorker;
    }

    /**
     * Stops gracefully: readiness turns 503, the port stops accepting, requests in flight get up to
     * {@code CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS} to finish.
     */
    @Override
    public void close() {
        if (publicListener == null) {
            // prepared, never bound: nothing runs yet
            http.close();
            health.close();
            closeSharedBuckets();
            return;
        }
        health.shuttingDown();
        log.info("stopping: no new connections; requests in flight have up to {} s", config.limits().shutdownTimeoutSeconds());
        http.shutdown(publicListener);
        // After HTTP stops (no new leads), before the caller closes the database: attempts in
        // flight finish and are recorded.
        webhookWorker.close();
        if (managementListener != null) {
            http.shutdown(managementListener);
        }
        health.close();
        closeQuietly(revocationWatch, "the revocation watch");
        closeQuietly(idempotencyKeyExpiry, "the idempotency key expiry");
        closeQuietly(leadRetention, "the lead retention job");
        http.close();
        closeSharedBuckets();
    }

    private void closeSharedBuckets() {
        if (sharedBuckets != null) {
            sharedBuckets.close();
        }
    }

    private static void closeQuietly(AutoCloseable job, String what) {
        try {
            job.close();
        } catch (Exception e) {
            log.warn("cannot stop {}: {}", what, e.toString());
        }
    }
}
