package io.chatleads.console;

import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyNames;
import io.chatleads.apikey.ApiKeyRepository;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

/** API keys: list (never a secret), create (the secret shown this once), revoke. */
final class KeyPages {

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
                        k.revokedAt() == null ? null : Owned.local(k.revokedAt(), zone)))
                .toList();
        request.render(status, "keys.jte", View.of(request.session(), "API keys", "keys", Notices.text(request.query("notice"))),
                new Views.Keys(rows, form, secret, createdName));
    }

    void create(ConsoleRequest request) {
        String name = request.field("name");
        String checked;
        try {
            checked = ApiKeyNames.require("name", name);
        } catch (InvalidInput e) {
            show(request, 400, Form.empty().with("name", name).error("name", e.getMessage()), null, null);
            return;
        }
        ApiKeyRepository.CreatedKey created = keys.create(request.ownerId(), checked);
        // Drawn in the answer to this POST, never put in a URL or stored: this is the only time it is shown.
        show(request, 201, Form.empty(), created.secret(), checked);
    }

    void revoke(ConsoleRequest request) {
        String id = request.path("keyId");
        ApiKey key = keys.find(id).filter(k -> k.ownerId().equals(request.ownerId()))
                .orElseThrow(() -> new NotFound("key " + id));
        keys.revoke(key.id());
        request.redirect("/console/keys?notice=revoked");
    }
}
