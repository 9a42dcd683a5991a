package io.chatleads.apikey;

import io.chatleads.apikey.ApiKeyRepository.CreatedKey;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

abstract class AbstractApiKeyRepositoryTest extends DatabaseTestBase {

    private Owner newOwner() {
        return app.owners().create(UUID.randomUUID() + "@example.com");
    }

    @Test
    void secretCarriesAtLeast128RandomBitsAndOnlyItsHashIsStored() {
        CreatedKey created = app.apiKeys().create(newOwner().id(), "ci");
        String secret = created.secret();
        byte[] random = Base64.getUrlDecoder().decode(secret.substring(ApiKeyRepository.SECRET_PREFIX.length()));
        assertTrue(random.length * 8 >= 128);
        assertTrue(secret.startsWith(created.key().prefix()));

        List<Map<String, Object>> rows = app.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT * FROM api_keys WHERE id = :id").bind("id", created.key().id()).mapToMap().list());
        assertEquals(1, rows.size());
        for (Object value : rows.get(0).values()) {
            assertFalse(String.valueOf(value).contains(secret.substring(created.key().prefix().length())),
                    "a stored column holds the secret");
        }
        assertEquals(ApiKeyRepository.hash(secret), rows.get(0).get("secret_hash"));
    }

    @Test
    void findsBySecretAndRevokes() {
        CreatedKey created = app.apiKeys().create(newOwner().id(), "sync");
        ApiKey found = app.apiKeys().findBySecret(created.secret()).orElseThrow();
        assertEquals(created.key().id(), found.id());
        assertNull(found.revokedAt());

        assertTrue(app.apiKeys().revoke(found.id()));
        ApiKey revoked = app.apiKeys().findBySecret(created.secret()).orElseThrow();
        assertNotNull(revoked.revokedAt());
        assertTrue(app.apiKeys().revoke(found.id()), "revoking again still finds the key");
        assertEquals(revoked.revokedAt(), app.apiKeys().find(found.id()).orElseThrow().revokedAt());
        assertFalse(app.apiKeys().revoke("key_missing"));
    }

    @Test
    void authenticatorRefusesRevokedUnknownAndForeignShapedSecrets() {
        CreatedKey created = app.apiKeys().create(newOwner().id(), "auth");
        assertTrue(app.authenticator().authenticate(created.secret()).join() != null);
        assertNotNull(app.apiKeys().find(created.key().id()).orElseThrow().lastUsedAt());
        assertTrue(app.authenticator().authenticate(created.secret() + "x").join() == null);
        assertTrue(app.authenticator().authenticate("not-a-key").join() == null);
        app.apiKeys().revoke(created.key().id());
        assertTrue(app.authenticator().authenticate(created.secret()).join() == null);
    }

    @Test
    void listsTheOwnersKeysOnly() {
        Owner owner = newOwner();
        app.apiKeys().create(owner.id(), "a");
        app.apiKeys().create(owner.id(), "b");
        app.apiKeys().create(newOwner().id(), "other");
        assertEquals(List.of("a", "b"), app.apiKeys().listByOwner(owner.id()).stream().map(ApiKey::name).sorted().toList());
    }
}
