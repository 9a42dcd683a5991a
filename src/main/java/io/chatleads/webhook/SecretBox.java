package io.chatleads.webhook;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.ConfigurationV0;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How webhook signing secrets rest in the database. Unlike an API key, a signing secret cannot be
 * kept only as a hash: the server needs the key itself to compute each HMAC. So it is stored
 * recoverably, and when {@code CHATLEADS_WEBHOOK_SECRET_KEY} is set (32 random bytes, base64), it
 * is sealed under that key, which lives outside the database: a leaked backup then does not let
 * anyone forge signed events. Without the setting it is stored as is, marked so.
 *
 * <p>Sealing is Google Tink's AES-256-GCM AEAD in a keyset of the configured keys: every ciphertext
 * starts with the id of the key that sealed it, so {@code CHATLEADS_WEBHOOK_SECRET_KEY} (which seals)
 * can change while {@code CHATLEADS_WEBHOOK_PREVIOUS_SECRET_KEYS} (which only open) still open what
 * older keys sealed, until {@code webhook rekey} has sealed everything anew. The webhook's id is the
 * associated data: a sealed secret copied onto another webhook's row does not open. A key's id is
 * derived from the key (an HMAC of it), so every server computes the same ids from the same
 * settings, and an id says nothing about its key.
 *
 * <p>Stored forms: {@code tink1:} + base64 of Tink's ciphertext (now); {@code aesgcm1:} + base64 of
 * nonce and AES-GCM ciphertext under one key, without key id nor associated data (before key
 * rotation existed: still opened with any configured key, and sealed anew by {@code webhook rekey});
 * {@code plain:} + the secret (no key configured).
 */
public final class SecretBox {

    public static final String SETTING = "CHATLEADS_WEBHOOK_SECRET_KEY";
    public static final String PREVIOUS_SETTING = "CHATLEADS_WEBHOOK_PREVIOUS_SECRET_KEYS";

    private static final String SEALED = "tink1:";
    private static final String LEGACY_SEALED = "aesgcm1:";
    private static final String PLAIN = "plain:";
    private static final String ASSOCIATED_DATA_PREFIX = "chatleads webhook signing secret:";
    private static final int LEGACY_NONCE_BYTES = 12;
    private static final int LEGACY_TAG_BITS = 128;
    /** Tink's ciphertext prefix: one version byte (1, "TINK"), then the key id. */
    private static final int TINK_PREFIX_BYTES = 5;

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null without a key. */
    private final Aead aead;
    private final Integer currentKeyId;
    /** Every configured key, current first: what opens the {@code aesgcm1:} form. */
    private final List<SecretKeySpec> legacyKeys;

    private SecretBox(Aead aead, Integer currentKeyId, List<SecretKeySpec> legacyKeys) {
        this.aead = aead;
        this.currentKeyId = currentKeyId;
        this.legacyKeys = legacyKeys;
    }

    /** No server key: secrets are stored unencrypted (still never logged nor shown again). */
    public static SecretBox unencrypted() {
        return new SecretBox(null, null, List.of());
    }

    /** The box of the settings; a {@link SettingsException} naming the setting when a key is malformed. */
    public static SecretBox from(Settings settings) {
        String current = settings.string(SETTING, null);
        String previous = settings.string(PREVIOUS_SETTING, null);
        if (current == null) {
            if (previous != null) {
                throw new SettingsException(PREVIOUS_SETTING + " must go with " + SETTING
                        + ", the key that encrypts new secrets; it is not set");
            }
            return unencrypted();
        }
        Map<Integer, byte[]> keys = new LinkedHashMap<>();
        byte[] currentKey = keyBytes(SETTING, current);
        keys.put(keyId(currentKey), currentKey);
        if (previous != null) {
            for (String value : previous.split("[,\\s]+")) {
                if (value.isEmpty()) {
                    continue;
                }
                byte[] key = keyBytes(PREVIOUS_SETTING, value);
                int id = keyId(key);
                byte[] known = keys.get(id);
                if (known != null && !java.util.Arrays.equals(known, key)) {
                    // 1 in 2^32 for two random keys: make another.
                    throw new SettingsException(PREVIOUS_SETTING + " has a key whose key id equals another's; "
                            + "generate a new " + SETTING + " (openssl rand -base64 32)");
                }
                keys.putIfAbsent(id, key);
            }
        }
        try {
            KeysetHandle.Builder keyset = KeysetHandle.newBuilder();
            List<SecretKeySpec> legacy = new ArrayList<>();
            boolean primary = true;
            for (Map.Entry<Integer, byte[]> key : keys.entrySet()) {
                KeysetHandle.Builder.Entry entry = KeysetHandle.importKey(tinkKey(key.getKey(), key.getValue()))
                        .withFixedId(key.getKey());
                keyset.addEntry(primary ? entry.makePrimary() : entry);
                primary = false;
                legacy.add(new SecretKeySpec(key.getValue(), "AES"));
            }
            Aead aead = keyset.build().getPrimitive(ConfigurationV0.get(), Aead.class);
            return new SecretBox(aead, keyId(currentKey), List.copyOf(legacy));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the webhook secret keys: " + e.getMessage());
        }
    }

    public boolean encrypts() {
        return aead != null;
    }

    /** The current key's id as printed in messages (8 hex digits), or null without a key. */
    public String currentKeyId() {
        return currentKeyId == null ? null : hex(currentKeyId);
    }

    /** The secret of webhook {@code webhookId} as stored: sealed under the current key, bound to the id. */
    public String seal(String webhookId, String secret) {
        if (aead == null) {
            return PLAIN + secret;
        }
        try {
            return SEALED + Base64.getEncoder().encodeToString(
                    aead.encrypt(secret.getBytes(StandardCharsets.UTF_8), associatedData(webhookId)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a webhook secret");
        }
    }

    /**
     * Whether {@code stored} is already as {@link #seal} would store it now (under the current key,
     * or plain without one): what {@code webhook rekey} leaves alone.
     */
    public boolean isCurrent(String stored) {
        if (aead == null) {
            return stored.startsWith(PLAIN);
        }
        Integer keyId = sealedKeyId(stored);
        return keyId != null && keyId.equals(currentKeyId);
    }

    /** The secret; {@link IllegalStateException} when no configured key opens it for this webhook. */
    public String open(String webhookId, String stored) {
        if (stored.startsWith(PLAIN)) {
            return stored.substring(PLAIN.length());
        }
        if (stored.startsWith(LEGACY_SEALED)) {
            return openLegacy(stored);
        }
        if (!stored.startsWith(SEALED)) {
            throw new IllegalStateException("unknown webhook secret format");
        }
        Integer keyId = sealedKeyId(stored);
        if (aead == null) {
            throw new IllegalStateException("the webhook secret is encrypted (key id " + hexOrUnknown(keyId) + ") but "
                    + SETTING + " is not set on this server");
        }
        try {
            byte[] opened = aead.decrypt(Base64.getDecoder().decode(stored.substring(SEALED.length())),
                    associatedData(webhookId));
            return new String(opened, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // No cause attached: nothing about the key or the secret belongs in a log line.
            throw new IllegalStateException("cannot decrypt the webhook secret sealed under key id " + hexOrUnknown(keyId)
                    + ": that key is neither " + SETTING + " nor in " + PREVIOUS_SETTING
                    + " on this server, or the stored value belongs to another webhook");
        }
    }

    private String openLegacy(String stored) {
        if (legacyKeys.isEmpty()) {
            throw new IllegalStateException("the webhook secret is encrypted but " + SETTING + " is not set on this server");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(stored.substring(LEGACY_SEALED.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the stored webhook secret is damaged");
        }
        for (SecretKeySpec key : legacyKeys) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(LEGACY_TAG_BITS, in, 0, LEGACY_NONCE_BYTES));
                return new String(cipher.doFinal(in, LEGACY_NONCE_BYTES, in.length - LEGACY_NONCE_BYTES), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException | IllegalArgumentException wrongKey) {
                // the tag did not match under this key: the next one may have sealed it
            }
        }
        throw new IllegalStateException("cannot decrypt the webhook secret (stored before key ids): none of "
                + SETTING + " and " + PREVIOUS_SETTING + " on this server is the key it was created with");
    }

    /** The key id in a {@code tink1:} value, or null for another form or a damaged value. */
    private static Integer sealedKeyId(String stored) {
        if (!stored.startsWith(SEALED)) {
            return null;
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(SEALED.length()));
            return in.length >= TINK_PREFIX_BYTES && in[0] == 1 ? ByteBuffer.wrap(in, 1, 4).getInt() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] associatedData(String webhookId) {
        return (ASSOCIATED_DATA_PREFIX + webhookId).getBytes(StandardCharsets.UTF_8);
    }

    private static AesGcmKey tinkKey(int id, byte[] key) throws GeneralSecurityException {
        AesGcmParameters parameters = AesGcmParameters.builder()
                .setKeySizeBytes(32)
                .setIvSizeBytes(12)
                .setTagSizeBytes(16)
                .setVariant(AesGcmParameters.Variant.TINK)
                .build();
        return AesGcmKey.builder()
                .setParameters(parameters)
                .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
                .setIdRequirement(id)
                .build();
    }

    /** The first four bytes of HMAC-SHA256(key, a fixed label): the same on every server, and no hint of the key. */
    static int keyId(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ByteBuffer.wrap(mac.doFinal("chatleads webhook secret key id".getBytes(StandardCharsets.UTF_8))).getInt();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] keyBytes(String setting, String value) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(setting + " must be 32 bytes in base64 (for example: openssl rand -base64 32)"
                    + (setting.equals(PREVIOUS_SETTING) ? ", comma-separated" : ""));
        }
        if (bytes.length != 32) {
            throw new SettingsException(setting + " must be 32 bytes in base64 (for example: openssl rand -base64 32), got "
                    + bytes.length + " bytes");
        }
        return bytes;
    }

    private static String hexOrUnknown(Integer keyId) {
        return keyId == null ? "(unreadable)" : hex(keyId);
    }

    private static String hex(int keyId) {
        return String.format("%08x", keyId);
    }
}
