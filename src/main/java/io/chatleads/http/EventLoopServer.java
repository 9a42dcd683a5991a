package io.chatleads.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP on Vert.x event loops: one server per loop on a shared port, each with its own router
 * around the routes the caller registers, and what every answer shares (request ids, security
 * headers, the access log, the body limit, {@link ErrorMapping}). It knows no feature: the caller
 * says, per loop, what that loop opens and which routes it serves ({@link LoopSetup}).
 */
public final class EventLoopServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoopServer.class);

    /** What one event loop sets up before it serves, called on that loop (from a verticle's start()). */
    @FunctionalInterface
    public interface LoopSetup {
        Future<LoopRoutes> start(Vertx vertx);
    }

    /** The routes of one loop, and what to close when it stops (that loop's own connections, say). */
    public interface LoopRoutes {
        void register(Routes routes);

        default Future<?> stop() {
            return Future.succeededFuture();
        }

        static LoopRoutes of(java.util.function.Consumer<Routes> register) {
            return register::accept;
        }
    }

    /** The servers bound on one port, one per loop that serves it. */
    public static final class Listener {
        private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
        // Every loop's router registers the same routes: kept once each, in order.
        private final Set<Route> routes = Collections.synchronizedSet(new LinkedHashSet<>());

        public int port() {
            return servers.get(0).actualPort();
        }

        public List<Route> routes() {
            synchronized (routes) {
                return List.copyOf(routes);
            }
        }
    }

    private final Vertx vertx;
    private final int loops;
    private final ServerLimits limits;
    private final ErrorMapping errors;
    private final RequestMetrics metrics;

    /**
     * @param loops       event loops, and public servers, one per core
     * @param workerThreads for blocking routes, which wait on the connection pool; an export holds its thread to the end
     */
    public EventLoopServer(int loops, int workerThreads, ServerLimits limits, ObjectMapper json, MeterRegistry registry) {
        this.loops = loops;
        this.limits = limits;
        this.metrics = new RequestMetrics(registry);
        this.errors = new ErrorMapping(json, limits, metrics);
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(loops)
                .setWorkerPoolSize(workerThreads)
                .setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS)
                .setPreferNativeTransport(true));
    }

    /** The network transport in use, and why not a native one when it is NIO ({@link Transports#describe}). */
    public String transport() {
        return Transports.describe(vertx);
    }

    /**
     * One server per event loop, all on one port, which Vert.x binds once and shares. Port 0 (tests)
     * means any free port: Vert.x would give each loop a port of its own, so one is picked first,
     * again if another process takes it in between.
     */
    public Listener listenOnEveryLoop(int requested, LoopSetup setup) {
        for (int attempt = 1; ; attempt++) {
            try {
                return listen(requested != 0 ? requested : freePort(), setup, loops);
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

    /** Deploys {@code instances} event-loop servers on {@code port}. */
    public Listener listen(int port, LoopSetup setup, int instances) {
        HttpServerOptions options = new HttpServerOptions()
                .setPort(port)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                // A client that stops halfway through its headers or body loses its connection.
                .setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                // HTTP/1.1 only, as behind any proxy: no h2c upgrade (the JDK's client asks for one)
                .setHttp2ClearTextEnabled(false)
                .setHandle100ContinueAutomatically(false)
                .setTcpNoDelay(true);
        if (limits.compresses()) {
            // gzip level 1: most of level 6's saving on JSON and CSV for a fraction of its CPU
            // (BENCHMARKS.md, compression). Netty skips an answer that already names its
            // Content-Encoding (the widget script is gzipped once, at start) and, of whole answers,
            // those below the threshold; streamed ones (exports) have no length and are compressed.
            options.setCompressionSupported(true)
                    .setCompressionLevel(1)
                    .setCompressionContentSizeThreshold(limits.compressionMinBytes());
        }
        InvalidRequests invalid = new InvalidRequests(limits, errors, metrics);
        Listener listener = new Listener();
        try {
            vertx.deployVerticle(() -> new VerticleBase() {
                private LoopRoutes loop;

                @Override
                public Future<?> start() {
                    return setup.start(vertx).compose(routes -> {
                        loop = routes;
                        return vertx.createHttpServer(options)
                                .connectionHandler(connection -> strictFraming(connection, options, limits.maxBodyBytes()))
                                .requestHandler(router(routes, listener))
                                .invalidRequestHandler(invalid)
                                .listen()
                                .onSuccess(listener.servers::add);
                    });
                }

                @Override
                public Future<?> stop() {
                    return loop == null ? Future.succeededFuture() : loop.stop();
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
        return listener;
    }

    /**
     * Every connection gets the strict decoder, or is closed: served by Netty's lenient one, it
     * could be used to smuggle requests.
     */
    private static void strictFraming(HttpConnection connection, HttpServerOptions options, long maxBodyBytes) {
        try {
            StrictRequestDecoder.install(connection, options, maxBodyBytes);
        } catch (RuntimeException e) {
            log.error("closing a connection that cannot get strict HTTP framing", e);
            connection.close();
        }
    }

    /** One loop's router: what every server shares (ids, headers, access log, body limit, errors) around its routes. */
    private Router router(LoopRoutes loop, Listener listener) {
        Router router = Router.router(vertx);
        router.route().handler(new RequestContext(metrics, limits.compresses()));
        router.route().handler(new RequestTarget());
        router.route().handler(new RequestBodies(limits));
        router.get(WebJars.PATH + "*").handler(new WebJars());
        loop.register(new Routes(router, listener.routes::add));
        router.route().failureHandler(errors::handle);
        for (int status : new int[]{400, 404, 405, 413, 500}) {
            router.errorHandler(status, errors::handle);
        }
        return router;
    }

    /**
     * Stops accepting on the listener's port and gives requests in flight up to
     * {@code CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS} to finish.
     */
    public void shutdown(Listener listener) {
        List<Future<Void>> stopping = new ArrayList<>();
        for (HttpServer server : listener.servers) {
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

    /** Stops the event loops (each loop's {@link LoopRoutes#stop} runs) and the worker threads. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(limits.shutdownTimeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("event loops still busy after {} s are abandoned: {}", limits.shutdownTimeoutSeconds(), e.toString());
        }
    }
}
