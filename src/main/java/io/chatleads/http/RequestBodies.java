package io.chatleads.http;

import io.chatleads.error.InvalidInput;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Request bodies, up to the server's limit. Read before the route runs, except from a client that
 * sent {@code Expect: 100-continue}: that body is invited only when the route asks for it
 * ({@link #of}), so a route that refuses the request (a missing key, say) answers at once, and the
 * connection then closes instead of waiting for a body nobody will read. An invited body that turns
 * out malformed (a bad chunk) fails like an eager one: the route answers the decoder's 400, and the
 * connection closes after it ({@link StrictRequestDecoder}). A body over the limit is a 413 however
 * it is sent: a {@code Content-Length} over it is refused here on the header (never invited), a
 * chunked body is failed by the decoder once it passes the limit. Whenever the answer goes out
 * before the request's body ended (too large, never invited), the connection closes after it: the
 * decoder drains what the client still sends, and cuts it off after the idle timeout at most.
 */
public final class RequestBodies implements Handler<RoutingContext> {

    private static final String DEFERRED = "chatleads.deferredBody";
    /** Set on a request answered before its body ended: the connection closes after the answer. */
    private static final String CLOSES = "chatleads.closesAfterAnswer";
    /** The methods vertx-web decodes a form body for. */
    private static final java.util.Set<String> FORM_METHODS = java.util.Set.of("POST", "PUT", "PATCH", "DELETE");

    private final BodyHandler eager;
    private final long maxBytes;
    private final int idleTimeoutSeconds;

    RequestBodies(ServerLimits limits) {
        this.eager = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
        this.maxBytes = limits.maxBodyBytes();
        this.idleTimeoutSeconds = limits.idleTimeoutSeconds();
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (refusedUnread(ctx)) {
            // No route reads multipart, and the one route that takes a body with GET takes JSON. Given
            // such a body, vertx-web's form decoder throws (a 500) or takes it apart for nothing.
            ctx.fail(JsonBody.notJson(ctx));
            return;
        }
        ctx.addHeadersEndHandler(head -> {
            if (ctx.get(DEFERRED) != null || !request.isEnded()) {
                // answered before the body ended: said in the answer, so that no client reuses the connection
                ctx.put(CLOSES, true);
                ctx.response().putHeader("Connection", "close");
            }
        });
        ctx.addEndHandler(ended -> {
            if (ctx.get(CLOSES) != null) {
                // StrictRequestDecoder drains the rest of the body, then closes
                request.connection().close();
            }
        });
        if (!"100-continue".equalsIgnoreCase(request.getHeader("Expect")) || request.version() == HttpVersion.HTTP_1_0) {
            eager.handle(ctx);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxBytes) {
            ctx.fail(413);
            return;
        }
        request.pause();
        Invitation invitation = new Invitation();
        // from now on: a malformed chunk sent before the invitation fails the connection at once, and is kept for it
        request.exceptionHandler(invitation.arrived::completeExceptionally);
        ctx.put(DEFERRED, invitation);
        ctx.next();
    }

    /** A form vertx-web would decode for nothing, or fail to: multipart, or a form with a GET. */
    private static boolean refusedUnread(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.headers().contains("Content-Length") && !request.headers().contains("Transfer-Encoding")) {
            return false;
        }
        String type = JsonBody.mediaType(ctx);
        return type.startsWith("multipart/")
                || type.equals(FormBody.MEDIA_TYPE) && !FORM_METHODS.contains(request.method().name());
    }

    /** Whether the body waits for an invitation, which only a worker thread may send and wait on. */
    public static boolean awaitsInvitation(RoutingContext ctx) {
        return ctx.get(DEFERRED) != null;
    }

    /** The request's body, empty when it has none. Waits for an invited body, so only on a worker thread. */
    static Buffer of(RoutingContext ctx) {
        Invitation deferred = ctx.get(DEFERRED);
        if (deferred != null) {
            return deferred.invite(ctx);
        }
        Buffer body = ctx.body().buffer();
        return body == null ? Buffer.buffer() : body;
    }

    /** A body that waits for its invitation, and what became of it. */
    private final class Invitation {
        final CompletableFuture<Buffer> arrived = new CompletableFuture<>();

        Buffer invite(RoutingContext ctx) {
            if (Context.isOnEventLoopThread()) {
                throw new IllegalStateException("an invited body is awaited on a worker thread, never on an event loop");
            }
            ctx.remove(DEFERRED);
            HttpServerRequest request = ctx.request();
            Buffer body = Buffer.buffer();
            if (!arrived.isDone()) {
                // StrictRequestDecoder fails a body past the limit (413), as it fails a malformed chunk
                request.handler(body::appendBuffer).endHandler(end -> arrived.complete(body));
                ctx.response().writeContinue();
                request.resume();
            }
            try {
                return arrived.get(idleTimeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof DecoderException && cause.getCause() != null) {
                    // a malformed chunk: StrictRequestDecoder's refusal, as BodyHandler unwraps it for an eager body
                    cause = cause.getCause();
                }
                if (cause instanceof ApiException refusal) {
                    throw refusal;
                }
                throw new InvalidInput("cannot read the request body: " + cause.getMessage());
            } catch (TimeoutException e) {
                throw new ApiException(408, "the request body did not arrive within " + idleTimeoutSeconds + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the request body", e);
            }
        }
    }
}
