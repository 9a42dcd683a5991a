package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.chatbot.CaptureTarget;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.db.SqlErrors;
import io.chatleads.error.DomainException;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.error.Refused;
import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.http.ApiException;
import io.chatleads.http.ErrorMapping;
import io.chatleads.http.FormBody;
import io.chatleads.http.JsonBody;
import io.chatleads.http.RateLimit;
import io.chatleads.http.RateLimits;
import io.chatleads.http.RequestBodies;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code POST /api/v1/chatbots/{chatbotId}/leads}, for two callers: the chat widget in a visitor's
 * browser (no key, so guarded by the chatbot's capture switch, its allowed origins and a per-IP
 * limit) and the owner's backend (a Bearer key, which may also backfill {@code createdAt}). The
 * widget's visitors may also post a plain HTML form ({@code application/x-www-form-urlencoded},
 * no JavaScript), answered with pages the {@link FormAnswers} draw.
 */
public final class LeadCaptureRoute {

    public static final String PATH = "/api/v1/chatbots/{chatbotId}/leads";
    public static final int MAX_BODY_BYTES = 16 * 1024;

    // The widget needs to read these to back off; browsers hide non-listed headers from scripts.
    private static final String EXPOSED_HEADERS =
            "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

    /** Seconds a browser may keep a preflight's permission; 0 for one given while the database is away. */
    private static final String PREFLIGHT_MAX_AGE = "600";
    private static final String OUTAGE_PREFLIGHT_MAX_AGE = "0";

    /**
     * The field people never see (the widget hides it; a site's own form should too): a widget
     * submission that fills it is a bot's, answered like any other but neither stored nor sent.
     */
    public static final String HONEYPOT = "website";

    /** How a plain HTML form post is answered: the page the visitor's browser shows next. */
    public interface FormAnswers {
        /** The lead is stored (or, for a bot, seems to be): a thank-you page, or a redirect to the owner's. */
        void stored(RoutingContext ctx, String chatbotId);

        /** The post was refused with {@code status} for the reason {@code message}; {@code headers} go with it. */
        void refused(RoutingContext ctx, String chatbotId, int status, String message, Map<String, String> headers);
    }

    private final BearerAuth auth;
    private final ChatbotSettingsRepository settings;
    private final IdempotentLeadCreation creation;
    private final RateLimit perWidgetClient;
    private final boolean trustForwardedFor;
    private final ObjectMapper json;
    private final Clock clock;
    private final FormAnswers formAnswers;
    private final Counter honeypotCatches;

    public LeadCaptureRoute(BearerAuth auth, ChatbotSettingsRepository settings,
                            IdempotentLeadCreation creation, RateLimit perWidgetClient, boolean trustForwardedFor,
                            ObjectMapper json, Clock clock, FormAnswers formAnswers, MeterRegistry registry) {
        this.auth = auth;
        this.settings = settings;
        this.creation = creation;
        this.perWidgetClient = perWidgetClient;
        this.trustForwardedFor = trustForwardedFor;
        this.json = json;
        this.clock = clock;
        this.formAnswers = formAnswers;
        this.honeypotCatches = Counter.builder("chatleads.lead.honeypot.catches")
                .description("Widget submissions that filled the honeypot field: answered like a success, not stored")
                .register(registry);
    }

    /**
     * On PostgreSQL ({@code loopLeads} given) a submission never leaves the event loop: chatbot and
     * key from the caches, or on a miss from this loop's own connection, the lead stored through this
     * loop's own connections. An Idempotency-Key (whose transaction may wait on a concurrent one
     * with the same key) or a body still to be invited goes on on a worker thread, as every
     * submission does on SQLite. The same code answers both ({@link #submit}). A form post goes to
     * a worker too: its answer reads the widget's settings.
     */
    public void register(Routes routes, EventLoopLeads loopLeads) {
        if (loopLeads == null) {
            routes.post(PATH, ctx -> {
                if (FormBody.isForm(ctx)) {
                    submitForm(ctx);
                } else {
                    onWorker(ctx);
                }
            });
        } else {
            routes.onLoop(HttpMethod.POST, PATH, ctx -> {
                if (FormBody.isForm(ctx)) {
                    Routes.onWorker(ctx, this::submitForm);
                } else if (ctx.request().getHeader("Idempotency-Key") != null || RequestBodies.awaitsInvitation(ctx)) {
                    Routes.onWorker(ctx, this::onWorker);
                } else {
                    submit(ctx, loopLeads::apiKey, loopLeads::captureTarget,
                            submission -> loopLeads.create(submission.lead()).map(lead -> new Stored(lead, false)));
                }
            });
        }
        routes.blocking(HttpMethod.OPTIONS, PATH, this::preflight);
    }

    /**
     * A lead checked and ready to store, with the Idempotency-Key it came with; {@code trap} when a
     * widget submission filled the honeypot, and is to be answered but not stored.
     */
    private record Submission(NewLead lead, Optional<String> idempotencyKey, boolean trap) {
    }

    /** The lead as stored; {@code replayed} when an Idempotency-Key's earlier lead is answered again. */
    private record Stored(Lead lead, boolean replayed) {
    }

    private void onWorker(RoutingContext ctx) {
        submit(ctx, null, null, submission -> {
            IdempotentLeadCreation.Outcome outcome = creation.create(submission.lead(), submission.idempotencyKey());
            return Future.succeededFuture(new Stored(outcome.lead(), outcome.replayed()));
        });
    }

    /**
     * A plain HTML form, on a worker: the widget's checks and rules as for JSON, without an
     * Idempotency-Key (a form cannot send one), answered with a page instead of JSON, refusals too:
     * the visitor's browser shows whatever comes back.
     */
    private void submitForm(RoutingContext ctx) {
        String chatbotId = ctx.pathParam("chatbotId");
        if (ctx.request().getHeader("Authorization") != null) {
            // A form is a visitor's; a backend with a key sends JSON, where createdAt and the rest apply.
            throw new ApiException(415, "Content-Type must be application/json for a call with an API key, got '"
                    + ctx.request().getHeader("Content-Type") + "'");
        }
        try {
            CaptureTarget target = Routes.resultOf(widgetTarget(ctx, settings.captureTarget(chatbotId).join(), chatbotId));
            Submission submission = submission(ctx, target, true);
            if (submission.trap()) {
                honeypotCatches.increment();
            } else {
                creation.create(submission.lead(), Optional.empty());
            }
            formAnswers.stored(ctx, chatbotId);
        } catch (CompletionException | DomainException | ApiException e) {
            Throwable failure = storingFailed(e instanceof CompletionException ? e.getCause() : e, chatbotId);
            if (failure instanceof DomainException domain) {
                formAnswers.refused(ctx, chatbotId, ErrorMapping.status(domain), domain.getMessage(), Map.of());
            } else if (failure instanceof ApiException api) {
                formAnswers.refused(ctx, chatbotId, api.status(), api.getMessage(), api.headers());
            } else {
                throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
            }
        }
    }

    /**
     * {@code keys} and {@code targets} read a key and a capture target the caches do not hold (null:
     * the caches' own JDBC reads on a worker).
     */
    private void submit(RoutingContext ctx, Function<String, CompletionStage<ApiKey>> keys,
                        Function<String, CompletionStage<CaptureTarget>> targets, Function<Submission, Future<Stored>> store) {
        String chatbotId = ctx.pathParam("chatbotId");
        prepare(ctx, chatbotId, keys, targets)
                .compose(submission -> submission.trap() ? Future.succeededFuture(caught(submission)) : store.apply(submission))
                // Only storing fails with a foreign-key violation; anything else passes unchanged.
                .recover(failure -> Future.failedFuture(storingFailed(failure, chatbotId)))
                .onComplete(done -> {
                    if (done.failed()) {
                        ctx.fail(done.cause());
                    } else {
                        Routes.continueOnLoop(ctx, loop -> Responses.json(loop, done.result().replayed() ? 200 : 201,
                                toJson(done.result().lead(), ctx.request().getHeader("Authorization") == null)));
                    }
                });
    }

    /**
     * Checks everything about the request and builds the lead: for the widget (no key) the
     * chatbot's capture switch, its allowed origins and the per-address limit; for a keyed call the
     * key, its limit and that its owner owns the chatbot.
     */
    private Future<Submission> prepare(RoutingContext ctx, String chatbotId, Function<String, CompletionStage<ApiKey>> keys,
                                       Function<String, CompletionStage<CaptureTarget>> targets) {
        boolean widget = ctx.request().getHeader("Authorization") == null;
        Future<CaptureTarget> known = Routes.resume(settings.captureTarget(chatbotId, targets));
        Future<CaptureTarget> checked = widget
                ? known.recover(failure -> readableOutage(ctx, failure)).compose(found -> widgetTarget(ctx, found, chatbotId))
                : known.compose(found -> auth.authenticate(ctx, keys).map(key -> {
                    if (found == null || !found.chatbot().ownerId().equals(key.ownerId())) {
                        throw notFound(chatbotId);
                    }
                    return found;
                }));
        return checked.map(target -> submission(ctx, target, widget));
    }

    /** The widget's checks, in order: capture on, origin allowed, this address under its limit. */
    private Future<CaptureTarget> widgetTarget(RoutingContext ctx, CaptureTarget found, String chatbotId) {
        // A chatbot that does not take leads looks the same as one that does not exist.
        if (found == null || !found.settings().captureEnabled()) {
            throw notFound(chatbotId);
        }
        String origin = ctx.request().getHeader("Origin");
        if (!found.settings().allowsOrigin(origin)) {
            throw originRefused(origin, chatbotId);
        }
        readableBy(ctx, origin);
        if (!perWidgetClient.enabled()) {
            return Future.succeededFuture(found);
        }
        return Routes.resume(perWidgetClient.decide(
                RateLimits.network(RateLimits.clientIp(ctx, trustForwardedFor)) + " " + chatbotId)).map(decision -> {
            decision.headers().forEach(ctx.response()::putHeader);
            decision.check("lead submissions from this address", "CHATLEADS_WIDGET_RATE_LIMIT", "CHATLEADS_WIDGET_RATE_WINDOW_SECONDS");
            return found;
        });
    }

    private Submission submission(RoutingContext ctx, CaptureTarget target, boolean widget) {
        Chatbot chatbot = target.chatbot();
        String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
        Optional<String> key = idempotencyKey == null ? Optional.empty()
                : Optional.of(IdempotentLeadCreation.validKey(idempotencyKey));

        Function<String, String> field;
        if (widget && FormBody.isForm(ctx)) {
            field = FormBody.read(ctx, MAX_BODY_BYTES)::text;
        } else {
            if (widget && !isJson(ctx)) {
                String contentType = ctx.request().getHeader("Content-Type");
                throw new ApiException(415, "Content-Type must be application/json (or, from an HTML form, "
                        + FormBody.MEDIA_TYPE + "), got '" + (contentType == null ? "" : contentType) + "'");
            }
            field = JsonBody.read(ctx, json, MAX_BODY_BYTES)::text;
        }
        Instant createdAt = clock.instant();
        String requestedCreatedAt = field.apply("createdAt");
        if (requestedCreatedAt != null) {
            if (widget) {
                throw new InvalidInput("createdAt may only be set by a call with an API key");
            }
            createdAt = LeadValidator.createdAt("createdAt", requestedCreatedAt);
        }
        LeadValidator.Submission submission = new LeadValidator.Submission(
                field.apply("name"), field.apply("email"), field.apply("phone"), field.apply("conversationId"));
        NewLead lead = LeadValidator.validate(chatbot.id(), chatbot.ownerId(), submission,
                target.settings().defaultRegion(), createdAt);
        // Checked after the rules, so a bot learns nothing from the answer: a wrong email is a 400
        // for it as for anyone, a right one the same 201.
        String honeypot = widget ? field.apply(HONEYPOT) : null;
        return new Submission(lead, key, honeypot != null && !honeypot.isBlank());
    }

    private static boolean isJson(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        return contentType != null
                && contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json");
    }

    /**
     * A bot's submission, counted and answered as if stored: id 0, which no stored lead ever has
     * (ids start at 1), so nothing downstream can take it for a real one.
     */
    private Stored caught(Submission submission) {
        honeypotCatches.increment();
        NewLead lead = submission.lead();
        return new Stored(new Lead(0, lead.chatbotId(), lead.ownerId(), lead.name(), lead.email(), lead.phone(),
                lead.conversationId(), lead.createdAt()), false);
    }

    /** A chatbot deleted since it was looked up (here or, within the cache TTL, by another server) is a 404. */
    private static RuntimeException storingFailed(Throwable failure, String chatbotId) {
        if (SqlErrors.isForeignKeyViolation(failure)) {
            return notFound(chatbotId);
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /**
     * CORS preflight: only the chatbot's allowed origins (any origin when it lists none); while the
     * database is away, any origin, but not to be cached ({@link #readableOutage} says why).
     */
    void preflight(RoutingContext ctx) {
        String chatbotId = ctx.pathParam("chatbotId");
        String origin = ctx.request().getHeader("Origin");
        CaptureTarget found;
        try {
            found = settings.captureTarget(chatbotId).join();
        } catch (CompletionException e) {
            if (origin == null || !SqlErrors.isUnavailable(e)) {
                throw e;
            }
            // The database away: let the POST come for its 503, but only for now (readableOutage says why).
            allowPreflight(ctx, origin, OUTAGE_PREFLIGHT_MAX_AGE);
            return;
        }
        // A chatbot that does not take leads looks the same as one that does not exist.
        if (found == null || !found.settings().captureEnabled()) {
            throw notFound(chatbotId);
        }
        ChatbotSettings capture = found.settings();
        if (origin == null || !capture.allowsOrigin(origin)) {
            throw originRefused(origin, chatbotId);
        }
        allowPreflight(ctx, origin, PREFLIGHT_MAX_AGE);
    }

    private static void allowPreflight(RoutingContext ctx, String origin, String maxAge) {
        allowOrigin(ctx, origin);
        ctx.response().putHeader("Access-Control-Allow-Methods", "POST")
                .putHeader("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key")
                .putHeader("Access-Control-Max-Age", maxAge);
        Responses.empty(ctx, 204);
    }

    /**
     * A widget submission whose chatbot's settings could not be read because the database is away
     * ({@link SqlErrors#isUnavailable}; it is answered 503 with Retry-After): that answer is made
     * readable by the page whatever its origin, so the widget learns the Retry-After instead of
     * seeing a network error. Why that is safe: the chatbot's allowed origins guard what the
     * route does and answers, and here it does nothing (no lead stored, nothing read) and answers
     * only the one fixed sentence every route gives in an outage, the same for every chatbot,
     * existing or not, and every origin; a chatbot with no allowed origins lets any page read
     * far more. Its preflight ({@link #preflight}) lets the POST through for the same reason, but
     * with a max-age of 0: a browser must not keep, past the outage, a permission given without
     * checking the allowed origins. With the database there, nothing here changes: an origin not
     * allowed still gets its 403 and an unknown chatbot its 404, without CORS headers.
     */
    private static <T> Future<T> readableOutage(RoutingContext ctx, Throwable failure) {
        if (SqlErrors.isUnavailable(failure)) {
            readableBy(ctx, ctx.request().getHeader("Origin"));
        }
        return Future.failedFuture(failure);
    }

    /** The answer, whatever it is, may be read by a page at {@code origin}, its back-off headers too. */
    private static void readableBy(RoutingContext ctx, String origin) {
        allowOrigin(ctx, origin);
        ctx.response().putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }

    private static void allowOrigin(RoutingContext ctx, String origin) {
        ctx.response().putHeader("Vary", "Origin");
        if (origin != null) {
            ctx.response().putHeader("Access-Control-Allow-Origin", origin);
        }
    }

    private static Refused originRefused(String origin, String chatbotId) {
        return new Refused(origin == null
                ? "an Origin header is required to submit leads to chatbot '" + chatbotId + "'"
                : "origin '" + origin + "' may not submit leads to chatbot '" + chatbotId + "'");
    }

    private static NotFound notFound(String chatbotId) {
        return new NotFound("chatbot '" + chatbotId + "' not found");
    }

    /** The lead for its submitter: a visitor ({@code widget}) is not told who owns the chatbot. */
    private byte[] toJson(Lead lead, boolean widget) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
            if (widget) {
                LeadJson.writeForVisitor(out, lead);
            } else {
                LeadJson.write(out, lead);
            }
        }
        return bytes.toByteArray();
    }
}
