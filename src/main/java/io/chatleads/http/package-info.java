/**
 * The HTTP toolkit: Vert.x event-loop servers and what every route shares. It imports no feature
 * package; features plug into it by registering routes ({@link io.chatleads.http.Routes}), and
 * {@code app.Server} says which features a server has.
 *
 * <h2>The request protocol</h2>
 * <ol>
 *   <li>{@link io.chatleads.http.StrictRequestDecoder} parses every connection's bytes in place of
 *       Vert.x's decoder, held to RFC 9112's framing (no request smuggling), versions and
 *       {@code Host}; what it refuses never reaches the router ({@link io.chatleads.http.InvalidRequests}
 *       answers it and the connection closes).</li>
 *   <li>{@link io.chatleads.http.RequestContext} runs first on every request: it gives the request its
 *       id (stored on the context, read back with {@code RequestContext.requestId(ctx)}), sets the
 *       security headers, and arranges for the access-log line and the request timer once the
 *       status line goes out.</li>
 *   <li>{@link io.chatleads.http.RequestTarget} refuses a path or query string with a broken
 *       percent escape or a NUL ({@code %00}), before any route decodes it.</li>
 *   <li>{@link io.chatleads.http.RequestBodies} reads the body within
 *       {@code CHATLEADS_HTTP_MAX_BODY_BYTES}; a body sent with {@code Expect: 100-continue} is only
 *       invited when a route reads it, which such routes do on a worker thread.</li>
 *   <li>The route's handler: on the event loop ({@code Routes.onLoop}), or on a worker thread
 *       ({@code Routes.blocking}, {@code Routes.onWorker}). A handler may store on the context only
 *       what the toolkit reads back: the route template (set by {@code Routes}), the request id.</li>
 *   <li>Whatever a handler throws, or a future it composes fails with, goes to
 *       {@link io.chatleads.http.ErrorMapping}: a feature's {@code io.chatleads.error.DomainException}
 *       becomes its 4xx, the toolkit's {@link io.chatleads.http.ApiException} its own status,
 *       anything else a logged 500. Every error body is {@code {"message": …}}.</li>
 * </ol>
 *
 * <p>The request id is in the logging context (MDC key {@code requestId}) exactly while a thread
 * runs the request's code: put by {@code RequestContext} for the loop's handlers and by
 * {@code Routes.onWorker} on a worker thread, and removed by the same code when it returns, so a
 * thread never logs under another request's id. Requests the HTTP codec refuses before any route
 * ({@link io.chatleads.http.InvalidRequests}) are answered and logged the same way.
 *
 * <p>A route composes asynchronous answers (a cache's {@code CompletableFuture}, a shared rate
 * limit's verdict that waits for Redis: {@link io.chatleads.http.RateLimit}) through
 * {@code Routes.resume}, which continues on the calling event loop, or waits when the caller is a
 * worker thread, so one handler serves both kinds of route.
 */
package io.chatleads.http;
