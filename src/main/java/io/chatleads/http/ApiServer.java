package io.chatleads.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Chatleads;
import io.chatleads.Settings;
import io.chatleads.bench.BenchRoutes;
import io.chatleads.chatbot.ChatbotRoutes;
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
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP server: Javalin configured once, with every route registered up front. With
 * {@code CHATLEADS_MANAGEMENT_PORT} set, a second, smaller server serves health and metrics there,
 * and the public port does not.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** A route as registered: what the OpenAPI test compares with the document's paths. */
    public record Route(String method, String path) {
    }

    private final Javalin javalin;
    private final Javalin management;
    private final Health health;
    private final List<Route> routes;
    private final ServerLimits limits;
    private final Chatleads app;
    private final WebhookSettings webhookSettings;
    private final Duration idempotencyKeyLifetime;
    // Set by listen(): the server is then bound and working.
    private WebhookWorker webhookWorker;
    private AutoCloseable revocationWatch;
    private AutoCloseable idempotencyKeyExpiry;
    private boolean listening;

    private ApiServer(Javalin javalin, Javalin management, Health health, List<Route> routes, ServerLimits limits,
                      Chatleads app, WebhookSettings webhookSettings, Duration idempotencyKeyLifetime) {
        this.javalin = javalin;
        this.management = management;
        this.health = health;
        this.routes = routes;
        this.limits = limits;
        this.app = app;
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
     * Configures the server and registers every route, without binding a port or touching the
     * database: {@code serve} does this while the database opens on another thread, then calls
     * {@link #listen} once the database is ready.
     */
    public static ApiServer prepare(Settings settings, Chatleads app) {
        ServerLimits limits = ServerLimits.from(settings);
        String managementPortSetting = settings.string("CHATLEADS_MANAGEMENT_PORT", "");
        Integer managementPort = managementPortSetting.isEmpty() ? null
                : settings.integer("CHATLEADS_MANAGEMENT_PORT", 0, 0, 65535);
        Health health = new Health(app.database(), Health.timeoutMillis(settings));
        // A body is one JSON value: without this, whatever follows the first value is silently ignored.
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ErrorMapping errors = new ErrorMapping(json, limits);
        BearerAuth auth = new BearerAuth(app.authenticator(), RateLimits.perApiKey(settings));
        LeadCaptureRoute capture = new LeadCaptureRoute(auth, app.chatbotSettings(), app.leadCreation(),
                RateLimits.perWidgetClient(settings), RateLimits.trustForwardedFor(settings),
                json, app.clock());
        ChatbotRoutes chatbotRoutes = new ChatbotRoutes(auth, app.chatbots(), app.chatbotSettings(), json);
        OpsRoutes ops = new OpsRoutes(health, app.metrics());
        ApiDocs docs = new ApiDocs();
        GetLeadsRoute getLeads = new GetLeadsRoute(auth, app.chatbots(), app.leads(), json, settings.responseEnvelope(),
                GetLeadsRoute.publicUrl(settings));
        WebhookSettings webhookSettings = WebhookSettings.from(settings);
        WebhookRoutes webhookRoutes = new WebhookRoutes(auth, new WebhookRegistration(app.chatbots(), app.webhooks(),
                new EndpointPolicy(webhookSettings.allowPrivate())), app.webhooks(), json);

        List<Route> routes = Collections.synchronizedList(new ArrayList<>());
        Javalin javalin = create(settings.port(), limits, json, errors, app, routes, config -> {
            config.staticFiles.enableWebjars();
            docs.register(config.routes);
            if (managementPort == null) {
                ops.register(config.routes);
            }
            // ---- API routes: each feature adds its registration lines here, nothing else ----
            config.routes.get(GetLeadsRoute.PATH, getLeads);
            config.routes.post(LeadCaptureRoute.PATH, capture::submit);
            config.routes.options(LeadCaptureRoute.PATH, capture::preflight);
            config.routes.delete(EraseLeadRoute.PATH, new EraseLeadRoute(auth, app.leads()));
            chatbotRoutes.install(config.routes);
            webhookRoutes.register(config.routes);
            BenchRoutes.installIfEnabled(settings, config.routes); // off unless CHATLEADS_BENCH_ENDPOINTS=true
            // ---- end of API routes ----
        });
        Javalin managementServer = managementPort == null ? null
                : create(managementPort, limits, json, errors, app, new ArrayList<>(), config -> ops.register(config.routes));
        Duration idempotencyKeyLifetime = IdempotentLeadCreation.keyLifetime(settings);
        return new ApiServer(javalin, managementServer, health, routes, limits, app, webhookSettings,
                idempotencyKeyLifetime);
    }

    /** Binds the ports, then starts the webhook worker, the revocation watch and the idempotency key expiry. Once. */
    public void listen() {
        try {
            javalin.start();
            if (management != null) {
                management.start();
            }
        } catch (RuntimeException e) {
            javalin.stop();
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

    /** A Javalin with everything both servers share: limits, headers, request ids, access log, errors. */
    private static Javalin create(int port, ServerLimits limits, ObjectMapper json, ErrorMapping errors,
                                  Chatleads app, List<Route> routes, Consumer<JavalinConfig> register) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = limits.maxBodyBytes();
            // On JDK 21+ each request runs on a virtual thread; on 17 Javalin keeps its pool.
            config.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            config.jsonMapper(new JavalinJackson(json, false));
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
                http.setRequestHeaderSize(limits.maxHeaderBytes());
            });
            config.jetty.modifyServer(server -> {
                // stop() first stops accepting, then waits this long for requests in flight
                server.setStopTimeout(limits.shutdownTimeoutSeconds() * 1000L);
                server.insertHandler(new GracefulHandler());
                // bodies sent without Content-Length are cut off at the limit too (Javalin's own
                // check only reads Content-Length)
                server.insertHandler(new SizeLimitHandler(limits.maxBodyBytes(), -1));
                server.setErrorHandler(new JsonErrorHandler(limits, app.metrics()));
            });
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setPort(port);
                // Jetty reads requests without holding a thread, and closes a connection idle this
                // long: a client that stops halfway through its headers or body loses it.
                connector.setIdleTimeout(limits.idleTimeoutSeconds() * 1000L);
                return connector;
            });
            config.jetty.modifyServletContextHandler(context -> context.addFilter(
                    new FilterHolder(new RequestContext()), "/*", EnumSet.of(DispatcherType.REQUEST)));
            config.requestLogger.http(new AccessLog(app.metrics()));
            config.events.handlerAdded(handler -> {
                if (handler.getHttpMethod().isHttpMethod()) {
                    routes.add(new Route(handler.getHttpMethod().name(), handler.getPath()));
                }
            });
            errors.install(config.routes);
            register.accept(config);
        });
    }

    public int port() {
        return javalin.port();
    }

    /** The management port, when {@code CHATLEADS_MANAGEMENT_PORT} is set. */
    public Integer managementPort() {
        return management == null ? null : management.port();
    }

    /** Every HTTP route of the public server. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * Stops gracefully: readiness turns 503, the port stops accepting, requests in flight get up to
     * {@code CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS} to finish.
     */
    @Override
    public void close() {
        if (!listening) {
            // prepared, never bound: nothing runs yet
            health.close();
            return;
        }
        health.shuttingDown();
        log.info("stopping: no new connections; requests in flight have up to {} s", limits.shutdownTimeoutSeconds());
        stop(javalin);
        // After HTTP stops (no new leads), before the caller closes the database: attempts in
        // flight finish and are recorded.
        webhookWorker.close();
        if (management != null) {
            stop(management);
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
    }

    /** The webhook delivery worker, for metrics: outbox depth, attempt outcomes, attempts in flight. */
    public WebhookWorker webhookWorker() {
        return webhookWorker;
    }

    private void stop(Javalin server) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            // Jetty gave up waiting: the requests still running are cut off when the pool closes
            log.warn("requests still in flight after {} s are abandoned: {}", limits.shutdownTimeoutSeconds(), e.toString());
        }
    }
}
