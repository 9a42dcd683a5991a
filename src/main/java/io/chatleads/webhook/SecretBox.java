package io.chatleads.webhook;

import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * How webhook signing secrets rest in the database. Unlike an API key, a signing secret cannot be
 * kept only as a hash: the server needs the key itself to compute each HMAC. So it is stored
 * recoverably, and when {@code CHATLEADS_WEBHOOK_SECRET_KEY} is set (32 random bytes, base64), it
 * is sealed with AES-256-GCM under that key, which lives outside the database: a leaked backup
 * then does not let anyone forge signed events. Without the setting it is stored as is, marked so.
 */
public final class SecretBox {

    public static final String SETTING = "CHATLEADS_WEBHOOK_SECRET_KEY";

    private static final String SEALED = "aesgcm1:";
    private static final String PLAIN = "plain:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(SecretKeySpec key) {
        this.key = key;
    }

    /** No server key: secrets are stored unencrypted (still never logged nor shown again). */
    public static SecretBox unencrypted() {
        return new SecretBox(null);
    }

    public static SecretBox from(Settings settings) {
        String raw = settings.string(SETTING, null);
        if (raw == null) {
            return unencrypted();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(raw);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(SETTING + " must be 32 bytes in base64 (for example: openssl rand -base64 32)");
        }
        if (bytes.length != 32) {
            throw new SettingsException(SETTING + " must be 32 bytes in base64 (for example: openssl rand -base64 32), got "
                    + bytes.length + " bytes");
        }
        return new SecretBox(new SecretKeySpec(bytes, "AES"));
    }

    public boolean encrypts() {
        return key != null;
    }

    public String seal(String secret) {
        if (key == null) {
            return PLAIN + secret;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return SEALED + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a webhook secret", e);
        }
    }

    /** The secret; {@link IllegalStateException} when it was sealed under a key this server lacks. */
    public String open(String stored) {
        if (stored.startsWith(PLAIN)) {
            return stored.substring(PLAIN.length());
        }
        if (!stored.startsWith(SEALED)) {
            throw new IllegalStateException("unknown webhook secret format");
        }
        if (key == null) {
            throw new IllegalStateException("the webhook secret is encrypted but " + SETTING + " is not set on this server");
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(SEALED.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // No cause attached: nothing about the key or the secret belongs in a log line.
            throw new IllegalStateException("cannot decrypt the webhook secret; is " + SETTING + " the key it was created with?");
        }
    }
}
