package io.chatleads.webhook;

import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sealing signing secrets: key ids, rotation, the webhook id as associated data, the stored forms of before. */
class SecretBoxTest {

    private static final String K1 = key();
    private static final String K2 = key();
    private static final String K3 = key();
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static SecretBox box(String current, String previous) {
        Map<String, String> env = new HashMap<>();
        if (current != null) {
            env.put(SecretBox.SETTING, current);
        }
        if (previous != null) {
            env.put(SecretBox.PREVIOUS_SETTING, previous);
        }
        return SecretBox.from(Settings.from(env));
    }

    @Test
    void aSealedSecretOpensOnlyForItsOwnWebhookAndNeverHoldsItInClear() {
        SecretBox box = box(K1, null);
        String stored = box.seal("wh_a", SECRET);
        assertTrue(stored.startsWith("tink1:"), stored);
        assertFalse(stored.contains(SECRET.substring(6)));
        assertNotEquals(stored, box.seal("wh_a", SECRET), "a fresh nonce every time");
        assertEquals(SECRET, box.open("wh_a", stored));
        IllegalStateException moved = assertThrows(IllegalStateException.class, () -> box.open("wh_b", stored));
        assertFalse(moved.getMessage().contains(SECRET), moved.getMessage());
    }

    @Test
    void theCiphertextNamesItsKeySoOlderKeysStillOpenWhatTheySealed() {
        String underK1 = box(K1, null).seal("wh_a", SECRET);
        SecretBox rotated = box(K2, K3 + "," + K1);
        assertEquals(SECRET, rotated.open("wh_a", underK1));
        assertFalse(rotated.isCurrent(underK1), "sealed under a previous key: rekey seals it anew");
        String underK2 = rotated.seal("wh_a", SECRET);
        assertTrue(rotated.isCurrent(underK2));
        assertEquals(SECRET, box(K2, null).open("wh_a", underK2));

        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> box(K2, null).open("wh_a", underK1));
        String k1Id = box(K1, null).currentKeyId();
        assertTrue(unknown.getMessage().contains("key id " + k1Id), unknown.getMessage());
        assertTrue(unknown.getMessage().contains(SecretBox.PREVIOUS_SETTING), unknown.getMessage());
        assertFalse(unknown.getMessage().contains(K1), unknown.getMessage());
    }

    @Test
    void keyIdsAreTheSameOnEveryServerAndSayNothingOfTheKey() {
        assertEquals(box(K1, null).currentKeyId(), box(K1, K2).currentKeyId());
        assertNotEquals(box(K1, null).currentKeyId(), box(K2, null).currentKeyId());
        byte[] k1 = Base64.getDecoder().decode(K1);
        String id = box(K1, null).currentKeyId();
        assertFalse(id.equals(String.format("%02x%02x%02x%02x", k1[0], k1[1], k1[2], k1[3])), "not the key's first bytes");
    }

    /** What the server stored before key ids existed: nonce and AES-GCM under the one key, no associated data. */
    @Test
    void secretsStoredBeforeKeyIdsStillOpenUnderTheirKeyCurrentOrPrevious() throws Exception {
        String legacy = legacySeal(K1, SECRET);
        assertEquals(SECRET, box(K1, null).open("wh_any", legacy));
        assertEquals(SECRET, box(K2, K1).open("wh_any", legacy));
        assertFalse(box(K1, null).isCurrent(legacy), "rekey binds it to its webhook and key id");
        assertThrows(IllegalStateException.class, () -> box(K2, K3).open("wh_any", legacy));
        assertThrows(IllegalStateException.class, () -> SecretBox.unencrypted().open("wh_any", legacy));
    }

    @Test
    void withoutAKeySecretsAreStoredMarkedPlainAndSealedOnceAKeyIsSet() {
        SecretBox none = SecretBox.unencrypted();
        String plain = none.seal("wh_a", SECRET);
        assertEquals("plain:" + SECRET, plain);
        assertTrue(none.isCurrent(plain));
        assertEquals(SECRET, box(K1, null).open("wh_a", plain));
        assertFalse(box(K1, null).isCurrent(plain));
        assertThrows(IllegalStateException.class, () -> none.open("wh_a", box(K1, null).seal("wh_a", SECRET)));
    }

    @Test
    void badKeySettingsAreOneLineNamingTheSetting() {
        SettingsException alone = assertThrows(SettingsException.class, () -> box(null, K1));
        assertTrue(alone.getMessage().startsWith(SecretBox.PREVIOUS_SETTING + " must "), alone.getMessage());
        SettingsException malformed = assertThrows(SettingsException.class, () -> box(K1, K2 + ",not-base64!"));
        assertTrue(malformed.getMessage().startsWith(SecretBox.PREVIOUS_SETTING + " must be 32 bytes"), malformed.getMessage());
        SettingsException short16 = assertThrows(SettingsException.class,
                () -> box(Base64.getEncoder().encodeToString(new byte[16]), null));
        assertTrue(short16.getMessage().startsWith(SecretBox.SETTING + " must be 32 bytes"), short16.getMessage());
        assertFalse(alone.getMessage().contains(K1));
        assertEquals(box(K1, K2).currentKeyId(), box(K1, " " + K2 + " , " + K1 + " ").currentKeyId(), "spaces and a repeat are fine");
    }

    static String legacySeal(String base64Key, String secret) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(nonce, 12 + sealed.length);
        System.arraycopy(sealed, 0, out, 12, sealed.length);
        return "aesgcm1:" + Base64.getEncoder().encodeToString(out);
    }
}
