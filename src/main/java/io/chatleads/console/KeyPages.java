package io.chatleads.console;

import io.chatleads.Settings.ResponseEnvelope;
import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyNames;
import io.chatleads.apikey.ApiKeyRepository;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

/**
 * API keys: list (never a secret), create (the secret shown this once), revoke, and the get-leads
 * response shape each key answers in (the server's default unless the key has its own).
 */
final class KeyPages {

    /** What an owner reads for each shape: the body an integration gets, which says which one it was written for. */
    private static final List<Views.ShapeChoice> SHAPES = List.of(
            new Views.ShapeChoice("", "The server's default"),
            new Views.ShapeChoice(ResponseEnvelope.DATA.value(), "{\"data\": […]}"),
            new Views.ShapeChoice(ResponseEnvelope.COLLECTED_CUSTOMERS.value(), "{\"collectedCustomers\": {\"data\": […]}}"),
            new Views.ShapeChoice(ResponseEnvelope.COLLECTED_CUSTOMERS_ARRAY.value(), "{\"collectedCustomers\": […]}, with account_id"));

    private final ApiKeyRepository keys;

    KeyPages(ApiKeyRepository keys, Clock clock) {
        this.keys = keys;
    }

    void list(ConsoleRequest request) {
        show(request, 200, Form.empty(), null, null);
    }

    private void show(ConsoleRequest request, int status, Form form, String secret, String createdName) {
        ZoneId zone = ZoneId.of(request.session().timeZone());
        List<Views.KeyRow> rows = keys.listByOwner(request.ownerId()).stream()
                .map(k -> new Views.KeyRow(k.id(), k.name(), k.prefix(), Owned.local(k.createdAt(), zone),
                        k.lastUsedAt() == null ? "never" : Owned.local(k.lastUsedAt(), zone),
                        k.revokedAt() == null ? null : Owned.local(k.revokedAt(), zone),
                        k.responseEnvelope() == null ? "" : k.responseEnvelope().value()))
                .toList();
        request.render(status, "keys.jte", View.of(request.session(), "API keys", "keys", Notices.text(request.query("notice"))),
                new Views.Keys(rows, form, secret, createdName, SHAPES));
    }

    void create(ConsoleRequest request) {
        String name = request.field("name");
        String checked;
        try {
            checked = ApiKeyNames.require("name", name);
        } catch (InvalidInput e) {
            show(request, 400, Form.empty().with("name", name).with("responseEnvelope", request.field("responseEnvelope"))
                    .error("name", e.getMessage()), null, null);
            return;
        }
        ResponseEnvelope shape;
        try {
            shape = shape(request.field("responseEnvelope"));
        } catch (InvalidInput e) {
            show(request, 400, Form.empty().with("name", name).with("responseEnvelope", request.field("responseEnvelope"))
                    .error("responseEnvelope", e.getMessage()), null, null);
            return;
        }
        ApiKeyRepository.CreatedKey created = keys.create(request.ownerId(), checked, shape);
        // Drawn in the answer to this POST, never put in a URL or stored: this is the only time it is shown.
        show(request, 201, Form.empty(), created.secret(), checked);
    }

    void revoke(ConsoleRequest request) {
        String id = request.path("keyId");
        ApiKey key = owned(id, request);
        keys.revoke(key.id());
        request.redirect("/console/keys?notice=revoked");
    }

    /** Sets the key's own response shape, or gives it back the server's default; applied like a revocation. */
    void setShape(ConsoleRequest request) {
        ApiKey key = owned(request.path("keyId"), request);
        keys.setResponseEnvelope(key.id(), shape(request.field("responseEnvelope")));
        request.redirect("/console/keys?notice=key-shape");
    }

    private ApiKey owned(String id, ConsoleRequest request) {
        return keys.find(id).filter(k -> k.ownerId().equals(request.ownerId()))
                .orElseThrow(() -> new NotFound("key " + id));
    }

    /** The shape a form field names: empty or absent for the server's default. */
    private static ResponseEnvelope shape(String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        return ResponseEnvelope.named(field).orElseThrow(() -> new InvalidInput(
                "responseEnvelope must be " + ResponseEnvelope.names() + " or empty for the server's default, got '" + field + "'"));
    }
}
