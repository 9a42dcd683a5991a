package io.chatleads.lead;

import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.ext.web.RoutingContext;

/** {@code DELETE /api/v1/leads/{id}}: erasure on request. The owner's key only; 204 when gone. */
public final class EraseLeadRoute {

    public static final String PATH = "/api/v1/leads/{id}";

    private final BearerAuth auth;
    private final LeadRepository leads;

    public EraseLeadRoute(BearerAuth auth, LeadRepository leads) {
        this.auth = auth;
        this.leads = leads;
    }

    public void register(Routes routes) {
        routes.delete(PATH, this::handle);
    }

    void handle(RoutingContext ctx) {
        ApiKey key = auth.require(ctx);
        String raw = ctx.pathParam("id");
        long id;
        try {
            // Digits only: Long.parseLong also takes "+5" and "-5", which no lead id is written as.
            if (!raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(raw);
            }
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidInput("id must be a lead id (an integer), got '" + raw + "'");
        }
        // Another owner's lead answers like a missing one.
        leads.find(id).filter(lead -> lead.ownerId().equals(key.ownerId()))
                .orElseThrow(() -> new NotFound("lead " + id + " not found"));
        leads.delete(id);
        Responses.empty(ctx, 204);
    }
}
