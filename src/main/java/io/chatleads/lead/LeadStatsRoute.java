package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.apikey.ApiKey;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.error.NotFound;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.http.RequestParams;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;

/**
 * {@code GET /api/v1/chatbots/{chatbotId}/lead-stats?startDate=&endDate=&timeZone=}: leads per day,
 * days cut in the time zone, every day of the range listed (zero when none), and the total. The
 * numbers the console's chart draws.
 */
public final class LeadStatsRoute {

    public static final String PATH = "/api/v1/chatbots/{chatbotId}/lead-stats";

    private final BearerAuth auth;
    private final ChatbotRepository chatbots;
    private final LeadStats stats;
    private final ObjectMapper json;
    private final Clock clock;

    public LeadStatsRoute(BearerAuth auth, ChatbotRepository chatbots, LeadStats stats, ObjectMapper json, Clock clock) {
        this.auth = auth;
        this.chatbots = chatbots;
        this.stats = stats;
        this.json = json;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get(PATH, this::handle);
    }

    void handle(RoutingContext ctx) throws IOException {
        ApiKey key = auth.require(ctx);
        String chatbotId = ctx.pathParam("chatbotId");
        RequestParams params = RequestParams.of(ctx, json);
        LeadStatsRequest request = LeadStatsRequest.of(params.get("startDate").orElse(null),
                params.get("endDate").orElse(null), params.get("timeZone").orElse(null), clock);
        // Another owner's chatbot answers like a missing one.
        chatbots.findOwned(chatbotId, key.ownerId()).orElseThrow(() -> new NotFound("chatbot '" + chatbotId + "' not found"));
        LeadStats.Daily daily = stats.daily(chatbotId, request.startDate(), request.endDate(), request.zone());
        Responses.json(ctx, 200, body(chatbotId, daily));
    }

    private byte[] body(String chatbotId, LeadStats.Daily daily) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + daily.counts().size() * 32);
        try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("chatbotId", chatbotId);
            out.writeStringField("startDate", daily.startDate().toString());
            out.writeStringField("endDate", daily.endDate().toString());
            out.writeStringField("timeZone", daily.zone().getId());
            out.writeNumberField("total", daily.total());
            out.writeArrayFieldStart("days");
            for (Map.Entry<LocalDate, Long> day : daily.counts().entrySet()) {
                out.writeStartObject();
                out.writeStringField("date", day.getKey().toString());
                out.writeNumberField("count", day.getValue());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }
}
