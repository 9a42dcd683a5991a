package io.chatleads.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.MDC;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * How features register their routes on a server's {@link Router}: paths are written as templates
 * ({@code /api/v1/leads/{id}}, as in the OpenAPI document), each registration is recorded as a
 * {@link Route}, and the template is what the access log and metrics name the route by.
 *
 * <p>A {@link #blocking} route runs on a worker thread, because it waits on JDBC; the event loop it
 * came in on goes on serving other connections meanwhile. A {@link #onLoop} route must never block:
 * it answers from memory or through an asynchronous client, and {@link #resume} brings a
 * {@link CompletableFuture} (a cache's answer, say) back to it. The request protocol these rely on
 * is in this package's {@code package-info.java}.
 */
public final class Routes {

    /** A route's handler; whatever it throws is answered by {@link ErrorMapping}. */
    @FunctionalInterface
    public interface Handler {
        void handle(RoutingContext ctx) throws Exception;
    }

    static final String TEMPLATE = "chatleads.route";

    private final Router router;
    private final Consumer<Route> registered;

    Routes(Router router, Consumer<Route> registered) {
        this.router = router;
        this.registered = registered;
    }

    public void get(String template, Handler handler) {
        blocking(HttpMethod.GET, template, handler);
    }

    public void post(String template, Handler handler) {
        blocking(HttpMethod.POST, template, handler);
    }

    public void put(String template, Handler handler) {
        blocking(HttpMethod.PUT, template, handler);
    }

    public void delete(String template, Handler handler) {
        blocking(HttpMethod.DELETE, template, handler);
    }

    /** A route that may wait on the database: it runs on a worker thread, requests in any order. */
    public void blocking(HttpMethod method, String template, Handler handler) {
        onLoop(method, template, ctx -> onWorker(ctx, handler));
    }

    /**
     * A console page (HTML, on a worker thread like {@link #blocking}): not an API route, so not
     * among the {@link Route}s the OpenAPI document is held to. A template ending in {@code *}
     * matches every path under it.
     */
    public void page(HttpMethod method, String template, Handler handler) {
        router.route(method, vertxPath(template)).handler(ctx -> {
            ctx.put(TEMPLATE, template);
            onWorker(ctx, handler);
        });
    }

    /** A route that never blocks: it runs on the event loop the request came in on. */
    public void onLoop(HttpMethod method, String template, Handler handler) {
        registered.accept(new Route(method.name(), template));
        router.route(method, vertxPath(template)).handler(ctx -> {
            ctx.put(TEMPLATE, template);
            continueOnLoop(ctx, handler);
        });
    }

    /**
     * Goes on with a request on a worker thread: what an {@link #onLoop} route does when the
     * answer needs JDBC after all (a CSV export, say).
     */
    public static void onWorker(RoutingContext ctx, Handler handler) {
        ctx.vertx().executeBlocking(() -> {
            // The worker thread's log lines carry the request id too; cleared before the thread serves another.
            MDC.put(RequestContext.MDC_KEY, RequestContext.requestId(ctx));
            try {
                handler.handle(ctx);
            } catch (Throwable e) {
                ctx.fail(e);
            } finally {
                MDC.remove(RequestContext.MDC_KEY);
            }
            return null;
        }, false);
    }

    /** Runs the handler on the calling thread (an asynchronous answer, say), failing the request if it throws. */
    public static void continueOnLoop(RoutingContext ctx, Handler handler) {
        try {
            handler.handle(ctx);
        } catch (Throwable e) {
            ctx.fail(e);
        }
    }

    /**
     * {@code stage} as a Vert.x future that completes on the calling thread's side: on an event
     * loop, done at once when the stage is (a cache hit), else back on this loop once it completes
     * elsewhere (a load on another thread); on a worker thread, which may block, after waiting for
     * it. So a route composes cache answers the same way wherever it runs.
     */
    public static <T> Future<T> resume(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone() || !Context.isOnEventLoopThread()) {
            try {
                return Future.succeededFuture(future.join());
            } catch (CompletionException e) {
                return Future.failedFuture(e.getCause());
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }
        return Future.fromCompletionStage(future, Vertx.currentContext());
    }

    /**
     * The outcome of a future that is already done, as every one from {@link #resume} is on a
     * worker thread: its result, or its failure thrown.
     */
    public static <T> T resultOf(Future<T> done) {
        if (!done.isComplete()) {
            throw new IllegalStateException("resultOf needs a completed future; on an event loop, compose it instead");
        }
        if (done.failed()) {
            if (done.cause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (done.cause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(done.cause());
        }
        return done.result();
    }

    /** {@code /a/{id}/b} as vertx-web writes it: {@code /a/:id/b}. */
    static String vertxPath(String template) {
        return template.replaceAll("\\{([A-Za-z][A-Za-z0-9]*)}", ":$1");
    }
}
