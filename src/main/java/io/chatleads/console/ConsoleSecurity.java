package io.chatleads.console;

import io.chatleads.account.Session;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * The console's defences in one place: the response headers, the session cookie, and the checks
 * every state-changing request passes (its Origin, and the CSRF token of its form).
 */
final class ConsoleSecurity {

    static final String SESSION_COOKIE = "chatleads_session";
    /** Before sign-in there is no session: the sign-in forms carry this cookie's random value instead (login CSRF). */
    static final String FORM_COOKIE = "chatleads_form";
    static final String CSRF_FIELD = "csrf";
    static final String PATH = "/console";

    /**
     * Scripts and styles only from this server (the console's own file and uPlot's), no inline
     * script or style attribute that markup could smuggle in, no eval, no framing, forms posting
     * only here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    // Null: the request's own scheme and Host are the console's origin.
    private final String publicUrl;
    private final boolean secureCookies;

    ConsoleSecurity(String publicUrl) {
        this.publicUrl = publicUrl;
        this.secureCookies = publicUrl != null && publicUrl.startsWith("https:");
    }

    static void headers(HttpServerResponse response) {
        response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "same-origin")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    }

    /** The session cookie: the opaque id only, unreadable to scripts, not sent on cross-site posts. */
    void setSessionCookie(RoutingContext ctx, String value, Duration lifetime) {
        ctx.response().addCookie(cookie(SESSION_COOKIE, value).setMaxAge(lifetime.toSeconds()));
    }

    void clearSessionCookie(RoutingContext ctx) {
        ctx.response().addCookie(cookie(SESSION_COOKIE, "").setMaxAge(0));
    }

    void setFormCookie(RoutingContext ctx, String value) {
        ctx.response().addCookie(cookie(FORM_COOKIE, value).setMaxAge(Duration.ofDays(1).toSeconds()));
    }

    private Cookie cookie(String name, String value) {
        return Cookie.cookie(name, value).setPath(PATH).setHttpOnly(true).setSameSite(CookieSameSite.LAX)
                .setSecure(secureCookies);
    }

    static String cookieValue(RoutingContext ctx, String name) {
        Cookie cookie = ctx.request().getCookie(name);
        return cookie == null ? null : cookie.getValue();
    }

    /**
     * A browser names the page a request comes from in Origin; one from another site is refused,
     * whatever it carries. No Origin (an old browser, a script) leaves the CSRF token to decide.
     */
    boolean originAllowed(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null) {
            return true;
        }
        return origin.equalsIgnoreCase(ownOrigin(ctx));
    }

    /** Where browsers reach this console (and the widget's script): {@code CHATLEADS_PUBLIC_URL}, else the request's own. */
    String ownOrigin(RoutingContext ctx) {
        return publicUrl != null ? publicUrl : ctx.request().scheme() + "://" + ctx.request().getHeader("Host");
    }

    /** The form's token against the session's, in constant time. */
    static boolean tokenMatches(String sent, String expected) {
        if (sent == null || expected == null || sent.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    static boolean tokenMatches(String sent, Session session) {
        return tokenMatches(sent, session.csrfToken());
    }
}
