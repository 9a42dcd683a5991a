package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.apikey.ApiKey;
import io.chatleads.chatbot.CaptureTarget;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.db.SqlErrors;
import io.chatleads.http.ApiException;
import io.chatleads.http.BearerAuth;
import io.chatleads.http.JsonBody;
import io.chatleads.http.RateLimiter;
import io.chatleads.http.RateLimits;
import io.chatleads.http.RequestBodies;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /api/v1/chatbots/{chatbotId}/leads}, for two callers: the chat widget in a visitor's
 * browser (no key, so guarded by the chatbot's capture switch, its allowed origins and a per-IP
 * limit) and the owner's backend (a Bearer key, which may also backfill {@code createdAt}).
 */
public final class LeadCaptureRoute {

    public static final String PATH = "/api/v1/chatbots/{chatbotId}/leads";
    public static final int MAX_BODY_BYTES = 16 * 1024;

    // The widget needs to read these to back off; browsers hide non-listed headers from scripts.
    private static final String EXPOSED_HEADERS =
            "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

    private final BearerAuth auth;
    private final ChatbotSettingsRepository settings;
    private final IdempotentLeadCreation creation;
    private final RateLimiter perWidgetClient;
    private final boolean trustForwardedFor;
    private final ObjectMapper json;
    private final Clock clock;

    public LeadCaptureRoute(BearerAuth auth, ChatbotSettingsRepository settings,
                            IdempotentLeadCreation creation, RateLimiter perWidgetClient, boolean trustForwardedFor,
                            ObjectMapper json, Clock clock) {
        this.auth = auth;
        this.settings = settings;
        this.creation = creation;
        this.perWidgetClient = perWidgetClient;
        this.trustForwardedFor = trustForwardedFor;
        this.json = json;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.withEventLoopLeads(HttpMethod.POST, PATH, (ctx, eventLoopLeads) -> submitOnLoop(ctx, eventLoopLeads, false),
                this::submit);
        routes.blocking(HttpMethod.OPTIONS, PATH, this::preflight);
    }

    /** A lead checked and ready to store, with the Idempotency-Key it came with. */
    private record Submission(NewLead lead, Optional<String> idempotencyKey) {
    }

    void submit(RoutingContext ctx) throws IOException {
        Submission submission = prepare(ctx, false);
        IdempotentLeadCreation.Outcome outcome;
        try {
            outcome = creation.create(submission.lead(), submission.idempotencyKey());
        } catch (RuntimeException e) {
            throw storingFailed(e, submission.lead().chatbotId());
        }
        Responses.json(ctx, outcome.replayed() ? 200 : 201, toJson(outcome.lead()));
    }

    /**
     * The submission without leaving the event loop: chatbot and key from the caches, the lead
     * stored through this loop's own connections. A chatbot or key not cached yet is read on a
     * worker thread, and the lead is then stored from the loop all the same. An Idempotency-Key
     * (whose transaction may wait on a concurrent one with the same key), a body still to be
     * invited, or what the caches do not keep (an unknown chatbot) go on on a worker thread.
     */
    private void submitOnLoop(RoutingContext ctx, EventLoopLeads eventLoopLeads, boolean cachesLoaded) throws IOException {
        if (ctx.request().getHeader("Idempotency-Key") != null || RequestBodies.awaitsInvitation(ctx)) {
            Routes.onWorker(ctx, this::submit);
            return;
        }
        Submission submission = prepare(ctx, true);
        if (submission == null) {
            Routes.cacheMissed(ctx, cachesLoaded, this::loadCaches, loop -> submitOnLoop(loop, eventLoopLeads, true), this::submit);
            return;
        }
        eventLoopLeads.create(submission.lead()).onComplete(stored -> {
            if (stored.failed()) {
                ctx.fail(storingFailed(stored.cause(), submission.lead().chatbotId()));
                return;
            }
            Routes.continueOnLoop(ctx, loop -> Responses.json(loop, 201, toJson(stored.result())));
        });
    }

    /** Reads the chatbot and, for a call with a key, the key into their caches; nothing is counted or stored. */
    private void loadCaches(RoutingContext ctx) {
        settings.captureTarget(ctx.pathParam("chatbotId"));
        if (ctx.request().getHeader("Authorization") != null) {
            auth.load(ctx);
        }
    }

    /**
     * Checks everything about the request and builds the lead. With {@code fromCacheOnly}, null
     * when the chatbot or the key is not in memory; the caches are read before any rate limit
     * counts the request, so a request that then goes to a worker is counted once.
     */
    private Submission prepare(RoutingContext ctx, boolean fromCacheOnly) throws IOException {
        String chatbotId = ctx.pathParam("chatbotId");
        boolean widget = ctx.request().getHeader("Authorization") == null;
        Optional<CaptureTarget> known;
        if (fromCacheOnly) {
            CaptureTarget cached = settings.captureTargetFromCache(chatbotId);
            if (cached == null) {
                return null;
            }
            known = Optional.of(cached);
        } else {
            known = settings.captureTarget(chatbotId);
        }
        CaptureTarget target;
        if (widget) {
            // A chatbot that does not take leads looks the same as one that does not exist.
            target = known.filter(found -> found.settings().captureEnabled()).orElseThrow(() -> notFound(chatbotId));
            String origin = ctx.request().getHeader("Origin");
            if (!target.settings().allowsOrigin(origin)) {
                throw originRefused(origin, chatbotId);
            }
            allowOrigin(ctx, origin);
            ctx.response().putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            RateLimiter.Decision decision = perWidgetClient.acquire(
                    RateLimits.clientIp(ctx, trustForwardedFor) + " " + chatbotId);
            if (perWidgetClient.enabled()) {
                decision.headers().forEach(ctx.response()::putHeader);
            }
            decision.check("lead submissions from this address");
        } else {
            ApiKey key = fromCacheOnly ? auth.requireFromCache(ctx) : auth.require(ctx);
            if (key == null) {
                return null;
            }
            target = known.filter(found -> found.chatbot().ownerId().equals(key.ownerId()))
                    .orElseThrow(() -> notFound(chatbotId));
        }
        Chatbot chatbot = target.chatbot();
        String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
        Optional<String> key = idempotencyKey == null ? Optional.empty()
                : Optional.of(IdempotentLeadCreation.validKey(idempotencyKey));

        JsonBody body = JsonBody.read(ctx, json, MAX_BODY_BYTES);
        Instant createdAt = clock.instant();
        if (body.has("createdAt")) {
            if (widget) {
                throw ApiException.badRequest("createdAt may only be set by a call with an API key");
            }
            createdAt = LeadValidator.createdAt("createdAt", body.text("createdAt"));
        }
        LeadValidator.Submission submission = new LeadValidator.Submission(
                body.text("name"), body.text("email"), body.text("phone"), body.text("conversationId"));
        NewLead lead = LeadValidator.validate(chatbot.id(), chatbot.ownerId(), submission,
                target.settings().defaultRegion(), createdAt);
        return new Submission(lead, key);
    }

    /** A chatbot deleted since it was looked up (here or, within the cache TTL, by another server) is a 404. */
    private static RuntimeException storingFailed(Throwable failure, String chatbotId) {
        if (SqlErrors.isForeignKeyViolation(failure)) {
            return notFound(chatbotId);
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /** CORS preflight: only the chatbot's allowed origins (any origin when it lists none). */
    void preflight(RoutingContext ctx) {
        String chatbotId = ctx.pathParam("chatbotId");
        ChatbotSettings capture = widgetTarget(chatbotId).settings();
        String origin = ctx.request().getHeader("Origin");
        if (origin == null || !capture.allowsOrigin(origin)) {
            throw originRefused(origin, chatbotId);
        }
        allowOrigin(ctx, origin);
        ctx.response().putHeader("Access-Control-Allow-Methods", "POST")
                .putHeader("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key")
                .putHeader("Access-Control-Max-Age", "600");
        Responses.empty(ctx, 204);
    }

    private CaptureTarget widgetTarget(String chatbotId) {
        // A chatbot that does not take leads looks the same as one that does not exist.
        return settings.captureTarget(chatbotId)
                .filter(target -> target.settings().captureEnabled())
                .orElseThrow(() -> notFound(chatbotId));
    }

    private static void allowOrigin(RoutingContext ctx, String origin) {
        ctx.response().putHeader("Vary", "Origin");
        if (origin != null) {
            ctx.response().putHeader("Access-Control-Allow-Origin", origin);
        }
    }

    private static ApiException originRefused(String origin, String chatbotId) {
        return new ApiException(403, origin == null
                ? "an Origin header is required to submit leads to chatbot '" + chatbotId + "'"
                : "origin '" + origin + "' may not submit leads to chatbot '" + chatbotId + "'");
    }

    private static ApiException notFound(String chatbotId) {
        return ApiException.notFound("chatbot '" + chatbotId + "' not found");
    }

    private byte[] toJson(Lead lead) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
            LeadJson.write(out, lead);
        }
        return bytes.toByteArray();
    }
}
