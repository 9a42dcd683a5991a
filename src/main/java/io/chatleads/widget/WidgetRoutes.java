package io.chatleads.widget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.apikey.ApiKey;
import io.chatleads.chatbot.CaptureTarget;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.error.NotFound;
import io.chatleads.error.Refused;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.http.EntityTags;
import io.chatleads.http.JsonBody;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The lead widget's routes: its script; the public configuration it draws itself from; and the
 * owner's settings behind it, read and changed with a key.
 */
public final class WidgetRoutes {

    public static final String SCRIPT_PATH = "/widget/v1.js";
    public static final String CONFIG_PATH = "/api/v1/chatbots/{chatbotId}/widget";
    public static final String SETTINGS_PATH = "/api/v1/chatbots/{chatbotId}/widget-settings";

    // Settings change rarely, and a page view may ask for them on every load; a minute is how
    // long a change can take to reach a visitor who already has them.
    static final String CONFIG_CACHE_CONTROL = "public, max-age=60";
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final BearerAuth auth;
    private final ChatbotRepository chatbots;
    private final ChatbotSettingsRepository capture;
    private final WidgetSettingsRepository settings;
    private final WidgetSettingsJson views;
    private final ObjectMapper json;
    private final WidgetScript script;

    public WidgetRoutes(BearerAuth auth, ChatbotRepository chatbots, ChatbotSettingsRepository capture,
                        WidgetSettingsRepository settings, ObjectMapper json) {
        this.auth = auth;
        this.chatbots = chatbots;
        this.capture = capture;
        this.settings = settings;
        this.views = new WidgetSettingsJson(json);
        this.json = json;
        this.script = WidgetScript.load();
    }

    public void register(Routes routes) {
        // From memory: never waits, so served on the event loop.
        routes.onLoop(HttpMethod.GET, SCRIPT_PATH, script::serve);
        routes.get(CONFIG_PATH, this::config);
        routes.get(SETTINGS_PATH, this::read);
        routes.blocking(HttpMethod.PUT, SETTINGS_PATH, this::update);
    }

    /**
     * The public configuration. Every answer, refusals included, may be read by the page's script,
     * so the widget can tell a visitor the form is not available here instead of retrying what
     * would look to it like a network failure; it holds nothing that is not public.
     */
    void config(RoutingContext ctx) {
        String chatbotId = ctx.pathParam("chatbotId");
        String origin = ctx.request().getHeader("Origin");
        ctx.response().putHeader("Vary", "Origin");
        if (origin != null) {
            ctx.response().putHeader("Access-Control-Allow-Origin", origin);
        }
        // A chatbot that does not take leads looks the same as one that does not exist, as for submissions.
        CaptureTarget target = capture.captureTarget(chatbotId).join();
        if (target == null || !target.settings().captureEnabled()) {
            throw notFound(chatbotId);
        }
        // Without an Origin (a same-origin read, such as a preview on chatleads' own pages, or a
        // server) there is nothing to check: only submissions must come from an allowed origin.
        if (origin != null && !target.settings().allowsOrigin(origin)) {
            throw new Refused("origin '" + origin + "' may not show the lead widget of chatbot '" + chatbotId + "'");
        }
        byte[] body = views.publicView(chatbotId, settings.published(chatbotId).join());
        String etag = EntityTags.of(body);
        ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", CONFIG_CACHE_CONTROL);
        if (EntityTags.noneMatchHits(ctx.request().getHeader("If-None-Match"), etag)) {
            Responses.empty(ctx, 304);
            return;
        }
        Responses.json(ctx, 200, body);
    }

    void read(RoutingContext ctx) throws JsonProcessingException {
        String chatbotId = owned(ctx);
        Responses.json(ctx, 200, json.writeValueAsBytes(views.owner(chatbotId, settings.find(chatbotId))));
    }

    /** Absent members keep their value, null ones go back to the default; 200 with the settings after. */
    void update(RoutingContext ctx) throws JsonProcessingException {
        String chatbotId = owned(ctx);
        JsonBody body = JsonBody.read(ctx, json, MAX_BODY_BYTES);
        WidgetSettings updated = settings.update(chatbotId, current -> views.applyChange(current, body.object()))
                .orElseThrow(() -> notFound(chatbotId));
        Responses.json(ctx, 200, json.writeValueAsBytes(views.owner(chatbotId, updated)));
    }

    /** The path's chatbot when the key's owner owns it; another owner's chatbot is as missing as none. */
    private String owned(RoutingContext ctx) {
        ApiKey key = auth.require(ctx);
        String chatbotId = ctx.pathParam("chatbotId");
        chatbots.findOwned(chatbotId, key.ownerId()).orElseThrow(() -> notFound(chatbotId));
        return chatbotId;
    }

    private static NotFound notFound(String chatbotId) {
        return new NotFound("chatbot '" + chatbotId + "' not found");
    }
}
