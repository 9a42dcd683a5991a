package io.chatleads;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * {@code length} symbols for an id that must be unique but need not be unguessable, such as a
     * request id: from the thread's own generator, which every request can afford. The shared
     * SecureRandom is synchronized, and 20 draws from it were a visible share of a get-leads call.
     */
    public static String unique(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[length];
        long bits = 0;
        for (int i = 0; i < id.length; i++) {
            if (i % 10 == 0) {
                bits = random.nextLong();
            }
            id[i] = ALPHABET[(int) (bits & 63)];
            bits >>>= 6;
        }
        return new String(id);
    }
}
