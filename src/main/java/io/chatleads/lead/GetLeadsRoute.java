package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Settings.ResponseEnvelope;
import io.chatleads.apikey.ApiKey;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.http.ApiException;
import io.chatleads.http.BearerAuth;
import io.chatleads.http.RequestParams;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code GET /api/v1/get-leads}: the hosted service's contract, see README "Get Leads". */
public final class GetLeadsRoute implements Handler {

    public static final String PATH = "/api/v1/get-leads";
    public static final int MAX_SIZE = 1000;
    private static final int DEFAULT_SIZE = 10;

    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");

    private final BearerAuth auth;
    private final ChatbotRepository chatbots;
    private final LeadRepository leads;
    private final ObjectMapper json;
    private final ResponseEnvelope envelope;

    public GetLeadsRoute(BearerAuth auth, ChatbotRepository chatbots, LeadRepository leads,
                         ObjectMapper json, ResponseEnvelope envelope) {
        this.auth = auth;
        this.chatbots = chatbots;
        this.leads = leads;
        this.json = json;
        this.envelope = envelope;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        ApiKey key = auth.require(ctx);
        RequestParams params = RequestParams.of(ctx, json);

        String chatbotId = params.get("chatbotId").map(String::strip).orElse("");
        if (chatbotId.isEmpty()) {
            throw ApiException.badRequest("chatbotId is required");
        }
        Optional<LocalDate> startDate = date(params, "startDate");
        Optional<LocalDate> endDate = date(params, "endDate");
        if (startDate.isPresent() && endDate.isPresent() && startDate.get().isAfter(endDate.get())) {
            throw ApiException.badRequest("startDate " + startDate.get() + " is after endDate " + endDate.get());
        }
        int page = positiveInt(params, "page", 1, Integer.MAX_VALUE);
        int size = positiveInt(params, "size", DEFAULT_SIZE, MAX_SIZE);

        chatbots.findOwned(chatbotId, key.ownerId())
                .orElseThrow(() -> ApiException.notFound("chatbot '" + chatbotId + "' not found"));

        long from = startDate.map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()).orElse(Long.MIN_VALUE);
        long to = endDate.map(d -> d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1)
                .orElse(Long.MAX_VALUE);
        List<Lead> found = leads.pageWithLookahead(new LeadPageQuery(chatbotId, from, to, page, size));

        boolean hasNext = found.size() > size && page < Integer.MAX_VALUE;
        List<Lead> pageLeads = found.size() > size ? found.subList(0, size) : found;
        if (hasNext) {
            ctx.header("Link", "<" + nextPageUrl(ctx, chatbotId, startDate, endDate, page + 1, size) + ">; rel=\"next\"");
        }
        ctx.contentType("application/json").result(body(pageLeads));
    }

    private byte[] body(List<Lead> pageLeads) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + pageLeads.size() * 256);
        try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            if (envelope == ResponseEnvelope.COLLECTED_CUSTOMERS) {
                out.writeObjectFieldStart("collectedCustomers");
            }
            out.writeArrayFieldStart("data");
            for (Lead lead : pageLeads) {
                LeadJson.write(out, lead);
            }
            out.writeEndArray();
            if (envelope == ResponseEnvelope.COLLECTED_CUSTOMERS) {
                out.writeEndObject();
            }
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    static Optional<LocalDate> date(RequestParams params, String name) {
        Optional<String> raw = params.get(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String value = raw.get();
        if (!DATE_SHAPE.matcher(value).matches()) {
            throw ApiException.badRequest(name + " must be a date in YYYY-MM-DD format, got '" + value + "'");
        }
        try {
            return Optional.of(LocalDate.parse(value, DATE));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " is not a valid calendar date: '" + value + "'");
        }
    }

    static int positiveInt(RequestParams params, String name, int defaultValue, int max) {
        Optional<String> raw = params.get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String value = raw.get();
        if (DIGITS.matcher(value).matches()) {
            long parsed = Long.parseLong(value);
            if (parsed >= 1 && parsed <= max) {
                return (int) parsed;
            }
        }
        throw ApiException.badRequest(name + " must be an integer from 1 to " + max + ", got '" + value + "'");
    }

    private static String nextPageUrl(Context ctx, String chatbotId, Optional<LocalDate> startDate,
                                      Optional<LocalDate> endDate, int nextPage, int size) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("chatbotId", chatbotId);
        startDate.ifPresent(d -> query.put("startDate", d.toString()));
        endDate.ifPresent(d -> query.put("endDate", d.toString()));
        query.put("page", Integer.toString(nextPage));
        query.put("size", Integer.toString(size));
        String encoded = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return ctx.scheme() + "://" + ctx.host() + ctx.path() + "?" + encoded;
    }
}
