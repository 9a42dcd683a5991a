package io.chatleads.http;

import io.chatleads.lead.EventLoopLeads;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.MDC;

import java.util.function.Consumer;

/**
 * How features register their routes on a server's {@link Router}: paths are written as templates
 * ({@code /api/v1/leads/{id}}, as in the OpenAPI document), each registration is recorded for
 * {@link ApiServer#routes()}, and the template is what the access log and metrics name the route by.
 *
 * <p>A {@link #blocking} route runs on a worker thread, because it waits on JDBC; the event loop it
 * came in on goes on serving other connections meanwhile. A {@link #onLoop} route must never block:
 * it answers from memory or through an asynchronous client.
 */
public final class Routes {

    /** A route's handler; whatever it throws is answered by {@link ErrorMapping}. */
    @FunctionalInterface
    public interface Handler {
        void handle(RoutingContext ctx) throws Exception;
    }

    /** A handler on an event loop, with that loop's own PostgreSQL connections. */
    @FunctionalInterface
    public interface EventLoopLeadsHandler {
        void handle(RoutingContext ctx, EventLoopLeads eventLoopLeads) throws Exception;
    }

    static final String TEMPLATE = "chatleads.route";

    private final Router router;
    private final Consumer<ApiServer.Route> registered;
    private final EventLoopLeads eventLoopLeads;

    Routes(Router router, Consumer<ApiServer.Route> registered, EventLoopLeads eventLoopLeads) {
        this.router = router;
        this.registered = registered;
        this.eventLoopLeads = eventLoopLeads;
    }


    public void get(String template, Handler handler) {
        blocking(HttpMethod.GET, template, handler);
    }

    public void post(String template, Handler handler) {
        blocking(HttpMethod.POST, template, handler);
    }

    public void delete(String template, Handler handler) {
        blocking(HttpMethod.DELETE, template, handler);
    }

    /** A route that may wait on the database: it runs on a worker thread, requests in any order. */
    public void blocking(HttpMethod method, String template, Handler handler) {
        onLoop(method, template, ctx -> onWorker(ctx, handler));
    }

    /**
     * A route served with this loop's own PostgreSQL connections ({@code onLoop}); on SQLite, which
     * has no asynchronous driver and so no {@link EventLoopLeads}, its {@code blocking} version.
     */
    public void withEventLoopLeads(HttpMethod method, String template, EventLoopLeadsHandler onLoop, Handler blocking) {
        if (eventLoopLeads == null) {
            blocking(method, template, blocking);
        } else {
            onLoop(method, template, ctx -> onLoop.handle(ctx, eventLoopLeads));
        }
    }

    /**
     * Goes on with a request on a worker thread: what an {@link #onLoop} route does when the
     * answer needs the database after all (a key not in the cache, say).
     */
    public static void onWorker(RoutingContext ctx, Handler handler) {
        ctx.vertx().executeBlocking(() -> {
            runOnWorker(ctx, handler);
            return null;
        }, false);
    }

    /**
     * What an {@link #onLoop} route does when a cache lacks what it needs. The first time, a worker
     * thread reads it into the cache ({@code load}) and the route tries again on its loop
     * ({@code retryOnLoop}). If it is still missing ({@code alreadyLoaded}: the cache keeps nothing,
     * or the thing does not exist), the route's blocking version answers from a worker thread.
     */
    public static void cacheMissed(RoutingContext ctx, boolean alreadyLoaded, Handler load, Handler retryOnLoop,
                                   Handler blocking) {
        if (alreadyLoaded) {
            onWorker(ctx, blocking);
        } else {
            onWorkerThenLoop(ctx, load, retryOnLoop);
        }
    }

    /**
     * Runs {@code onWorker} on a worker thread (filling a cache from the database, say), then
     * {@code thenOnLoop} back on the request's event loop, unless the first failed the request.
     */
    private static void onWorkerThenLoop(RoutingContext ctx, Handler onWorker, Handler thenOnLoop) {
        ctx.vertx().executeBlocking(() -> runOnWorker(ctx, onWorker), false).onSuccess(succeeded -> {
            if (succeeded) {
                continueOnLoop(ctx, thenOnLoop);
            }
        });
    }

    /** False when the handler failed the request. */
    private static boolean runOnWorker(RoutingContext ctx, Handler handler) {
        // The worker thread's log lines carry the request id too; cleared before the thread serves another.
        MDC.put(RequestContext.MDC_KEY, RequestContext.requestId(ctx));
        try {
            handler.handle(ctx);
            return true;
        } catch (Throwable e) {
            ctx.fail(e);
            return false;
        } finally {
            MDC.remove(RequestContext.MDC_KEY);
        }
    }

    /** Runs the handler on the calling event loop (an asynchronous answer, say), failing the request if it throws. */
    public static void continueOnLoop(RoutingContext ctx, Handler handler) {
        try {
            handler.handle(ctx);
        } catch (Throwable e) {
            ctx.fail(e);
        }
    }

    /**
     * A console page (HTML, on a worker thread like {@link #blocking}): not an API route, so not in
     * {@link ApiServer#routes()}, which the OpenAPI document is held to. A template ending in
     * {@code *} matches every path under it.
     */
    public void page(HttpMethod method, String template, Handler handler) {
        router.route(method, vertxPath(template)).handler(ctx -> {
            ctx.put(TEMPLATE, template);
            onWorker(ctx, handler);
        });
    }

    /** A route that never blocks: it runs on the event loop the request came in on. */
    public void onLoop(HttpMethod method, String template, Handler handler) {
        registered.accept(new ApiServer.Route(method.name(), template));
        router.route(method, vertxPath(template)).handler(ctx -> {
            ctx.put(TEMPLATE, template);
            continueOnLoop(ctx, handler);
        });
    }

    /** {@code /a/{id}/b} as vertx-web writes it: {@code /a/:id/b}. */
    static String vertxPath(String template) {
        return template.replaceAll("\\{([A-Za-z][A-Za-z0-9]*)}", ":$1");
    }
}
