package io.chatleads.lead;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Settings;
import io.chatleads.Settings.ResponseEnvelope;
import io.chatleads.apikey.ApiKey;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.error.NotFound;
import io.chatleads.http.RequestParams;
import io.chatleads.http.RequestBodies;
import io.chatleads.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.chatleads.http.Routes;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@code GET /api/v1/get-leads}: the hosted service's contract, see README "Get Leads". */
public final class GetLeadsRoute {

    public static final String PATH = "/api/v1/get-leads";

    private final BearerAuth auth;
    private final ChatbotRepository chatbots;
    private final LeadRepository leads;
    private final ObjectMapper json;
    // The shape for keys without one of their own.
    private final ResponseEnvelope defaultEnvelope;
    // Null: links are built on the request's own scheme and Host.
    private final String publicUrl;
    // How long the export waits for a client that takes no data.
    private final int idleTimeoutSeconds;

    public GetLeadsRoute(BearerAuth auth, ChatbotRepository chatbots, LeadRepository leads,
                         ObjectMapper json, ResponseEnvelope envelope, String publicUrl, int idleTimeoutSeconds) {
        this.auth = auth;
        this.chatbots = chatbots;
        this.leads = leads;
        this.json = json;
        this.defaultEnvelope = envelope;
        this.publicUrl = publicUrl;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /**
     * {@code CHATLEADS_PUBLIC_URL} without a trailing slash, or null when unset. Behind a proxy that
     * terminates TLS the request itself says http, and a client following that link would send its
     * key in clear text; the setting also keeps a forged Host header out of the link.
     */
    public static String publicUrl(Settings settings) {
        String raw = settings.string("CHATLEADS_PUBLIC_URL", null);
        if (raw == null) {
            return null;
        }
        String problem = "CHATLEADS_PUBLIC_URL must be an http or https URL with a host and no path, such as https://leads.example.com, got '"
                + raw + "'";
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new Settings.SettingsException(problem);
        }
        boolean httpScheme = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!httpScheme || uri.getHost() == null || uri.getRawUserInfo() != null || !noPath
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new Settings.SettingsException(problem);
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
    }

    /**
     * On PostgreSQL ({@code loopLeads} given) the page never leaves the event loop: the key and the
     * chatbot's owner from the caches, or on a miss from this loop's own connection, as the page.
     * On SQLite, which has no asynchronous driver, the route runs on a worker thread and reads all
     * three through JDBC. The same code answers both ({@link #page}).
     */
    public void register(Routes routes, EventLoopLeads loopLeads) {
        if (loopLeads == null) {
            routes.get(PATH, this::onWorker);
            return;
        }
        routes.onLoop(HttpMethod.GET, PATH, ctx -> {
            // A CSV export streams from JDBC, and a body still to be invited is read on a worker.
            if (LeadCsvExport.wanted(ctx.request().getHeader("Accept")) || RequestBodies.awaitsInvitation(ctx)) {
                Routes.onWorker(ctx, this::onWorker);
            } else {
                page(ctx, loopLeads::apiKey, loopLeads::chatbotOwner, loopLeads::pageWithLookahead);
            }
        });
    }

    private void onWorker(RoutingContext ctx) throws IOException {
        if (!LeadCsvExport.wanted(ctx.request().getHeader("Accept"))) {
            page(ctx, null, null, query -> Future.succeededFuture(leads.pageWithLookahead(query)));
            return;
        }
        ApiKey key = auth.require(ctx);
        GetLeadsRequest request = GetLeadsRequest.parse(RequestParams.of(ctx, json));
        if (!chatbots.isOwnedBy(request.chatbotId(), key.ownerId())) {
            throw notFound(request);
        }
        // The whole filtered range; page and size only shape the JSON answer.
        new LeadCsvExport(leads).respond(ctx, request.chatbotId(), key.ownerId(), request.fromMillis(), request.toMillis(),
                idleTimeoutSeconds);
    }

    private record Page(ApiKey key, GetLeadsRequest request, List<Lead> leads) {
    }

    /**
     * The (cached) owner of the chatbot first, then the page: another owner's chatbot and a missing
     * one are both refused from memory before any page is read, so neither the 404's path nor its
     * time depends on how many leads the other chatbot has (issue 20). The page query still folds
     * the owner in, so it can never return another owner's rows. {@code keys} and {@code owners}
     * read a key and an owner the caches do not hold (null: the caches' own JDBC reads on a worker).
     */
    private void page(RoutingContext ctx, Function<String, CompletionStage<ApiKey>> keys,
                      Function<String, CompletionStage<String>> owners, Function<LeadPageQuery, Future<List<Lead>>> pages) {
        auth.authenticate(ctx, keys).compose(key -> {
            GetLeadsRequest request = GetLeadsRequest.parse(RequestParams.of(ctx, json));
            return Routes.resume(chatbots.owner(request.chatbotId(), owners)).compose(ownerId -> {
                if (!key.ownerId().equals(ownerId)) {
                    throw notFound(request);
                }
                return pages.apply(request.pageQuery(key.ownerId())).map(found -> new Page(key, request, found));
            });
        }).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
            } else {
                Routes.continueOnLoop(ctx, loop -> answer(loop, done.result()));
            }
        });
    }

    private void answer(RoutingContext ctx, Page page) throws IOException {
        GetLeadsRequest request = page.request();
        List<Lead> found = page.leads();
        int size = request.size();
        if (found.size() > size && request.page() < Integer.MAX_VALUE) {
            LeadCursor next = LeadCursor.after(found.get(size - 1));
            ctx.response().putHeader("Link", "<" + nextPageUrl(ctx, publicUrl, request, next) + ">; rel=\"next\"");
        }
        ResponseEnvelope envelope = page.key().responseEnvelope() != null ? page.key().responseEnvelope() : defaultEnvelope;
        Responses.json(ctx, 200, body(envelope, found.size() > size ? found.subList(0, size) : found));
    }

    private static NotFound notFound(GetLeadsRequest request) {
        return new NotFound("chatbot '" + request.chatbotId() + "' not found");
    }

    /** The page in the key's shape (README "Compatibility"). */
    private byte[] body(ResponseEnvelope envelope, List<Lead> pageLeads) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + pageLeads.size() * 256);
        try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            if (envelope == ResponseEnvelope.COLLECTED_CUSTOMERS_ARRAY) {
                out.writeArrayFieldStart("collectedCustomers");
                for (Lead lead : pageLeads) {
                    LeadJson.writeWithAccountId(out, lead);
                }
                out.writeEndArray();
            } else {
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
            }
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /**
     * The next page by number, as the hosted API has it, plus our {@code cursor}: a client that
     * follows the link gets a keyset seek whose cost does not grow with depth, and one that builds
     * page URLs itself keeps working unchanged.
     */
    private static String nextPageUrl(RoutingContext ctx, String publicUrl, GetLeadsRequest request, LeadCursor next) {
        StringBuilder url = new StringBuilder(160)
                .append(publicUrl != null ? publicUrl : ctx.request().scheme() + "://" + host(ctx))
                .append(PATH).append("?chatbotId=").append(URLEncoder.encode(request.chatbotId(), StandardCharsets.UTF_8));
        request.startDate().ifPresent(d -> url.append("&startDate=").append(URLEncoder.encode(d.toString(), StandardCharsets.UTF_8)));
        request.endDate().ifPresent(d -> url.append("&endDate=").append(URLEncoder.encode(d.toString(), StandardCharsets.UTF_8)));
        // a cursor is base64url: nothing in it needs encoding
        return url.append("&page=").append(request.page() + 1).append("&size=").append(request.size())
                .append("&cursor=").append(next.encode()).toString();
    }

    /** The Host header as the client sent it, as the link has always been built; the local address without one (HTTP/1.0). */
    private static String host(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        return host != null ? host : ctx.request().localAddress().hostAddress() + ":" + ctx.request().localAddress().port();
    }
}
