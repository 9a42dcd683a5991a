package io.chatleads;

import java.security.SecureRandom;

/** Random, URL-safe identifiers and secrets. */
public final class RandomIds {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    /** {@code length} symbols of 64, so 6 random bits each: 21 symbols carry 126 bits, as a nanoid. */
    public static String urlSafe(int length) {
        char[] id = new char[length];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
