package io.chatleads.chatbot;

import io.chatleads.Timestamps;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.http.JsonBody;
import io.chatleads.http.RequestParams;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * The owner's chatbot endpoints, named as on the hosted service: get-chatbots, create-chatbot,
 * update-chatbot-settings, delete-chatbot. Another owner's chatbot answers like a missing one.
 */
public final class ChatbotRoutes {

    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final BearerAuth auth;
    private final ChatbotRepository chatbots;
    private final ChatbotSettingsRepository settings;
    private final ObjectMapper json;

    public ChatbotRoutes(BearerAuth auth, ChatbotRepository chatbots, ChatbotSettingsRepository settings,
                         ObjectMapper json) {
        this.auth = auth;
        this.chatbots = chatbots;
        this.settings = settings;
        this.json = json;
    }

    public void register(Routes routes) {
        routes.get("/api/v1/get-chatbots", this::list);
        routes.post("/api/v1/create-chatbot", this::create);
        routes.post("/api/v1/update-chatbot-settings", this::update);
        routes.delete("/api/v1/delete-chatbot", this::delete);
    }

    /** 200 {@code {"chatbots":{"data":[…]}}}, oldest first. */
    void list(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        ArrayNode data = json.createArrayNode();
        for (CaptureTarget target : settings.listByOwner(key.ownerId())) {
            data.add(toJson(target.chatbot(), target.settings()));
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("chatbots").set("data", data);
        Responses.json(ctx, 200, json.writeValueAsBytes(body));
    }

    /** Body {@code {"chatbotName": …}}; 200 {@code {"chatbotId": …}} as the hosted service answers. */
    void create(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        JsonBody body = JsonBody.read(ctx, json, MAX_BODY_BYTES);
        String name = body.text("chatbotName");
        if (name == null) {
            throw new InvalidInput("chatbotName is required");
        }
        Chatbot chatbot = chatbots.create(key.ownerId(), ChatbotSettings.chatbotName("chatbotName", name));
        Responses.json(ctx, 200, json.writeValueAsBytes(Map.of("chatbotId", chatbot.id())));
    }

    /**
     * Body {@code {"chatbotId", "name"?, "leadCapture"?, "allowedOrigins"?, "defaultRegion"?}};
     * absent fields keep their value, {@code "defaultRegion": null} clears it. 200 with the chatbot.
     */
    void update(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        JsonBody body = JsonBody.read(ctx, json, MAX_BODY_BYTES);
        String chatbotId = requireOwned(body.text("chatbotId"), key);
        ChatbotSettings.Change change = ChatbotSettings.Change.none();
        String name = body.text("name");
        if (name != null) {
            change = change.withName(name);
        }
        change = body.bool("leadCapture").map(change::withCaptureEnabled).orElse(change);
        if (body.present("defaultRegion")) {
            change = change.withDefaultRegion(body.text("defaultRegion"));
        }
        change = body.textList("allowedOrigins").map(change::withAllowedOrigins).orElse(change);
        ChatbotSettings updated = settings.update(chatbotId, change).orElseThrow(() -> notFound(chatbotId));
        Responses.json(ctx, 200, json.writeValueAsBytes(toJson(chatbots.find(chatbotId).orElseThrow(() -> notFound(chatbotId)), updated)));
    }

    /** {@code chatbotId} in the query string (or a JSON body); deletes its leads with it. */
    void delete(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        String chatbotId = requireOwned(RequestParams.of(ctx, json).get("chatbotId").orElse(null), key);
        chatbots.delete(chatbotId);
        Responses.json(ctx, 200, json.writeValueAsBytes(Map.of("message", "chatbot " + chatbotId + " deleted")));
    }

    private String requireOwned(String chatbotId, ApiKey key) {
        if (chatbotId == null || chatbotId.isBlank()) {
            throw new InvalidInput("chatbotId is required");
        }
        String id = chatbotId.strip();
        chatbots.findOwned(id, key.ownerId()).orElseThrow(() -> notFound(id));
        return id;
    }

    private static NotFound notFound(String chatbotId) {
        return new NotFound("chatbot '" + chatbotId + "' not found");
    }

    private ObjectNode toJson(Chatbot chatbot, ChatbotSettings s) {
        ObjectNode node = json.createObjectNode();
        node.put("id", chatbot.id());
        node.put("name", chatbot.name());
        node.put("created_at", Timestamps.format(chatbot.createdAt()));
        node.put("leadCapture", s.captureEnabled());
        node.put("defaultRegion", s.defaultRegion());
        ArrayNode origins = node.putArray("allowedOrigins");
        s.allowedOrigins().forEach(origins::add);
        return node;
    }
}
