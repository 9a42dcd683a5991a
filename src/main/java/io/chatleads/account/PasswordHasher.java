package io.chatleads.account;

import io.chatleads.error.InvalidInput;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Owners' passwords as Argon2id hashes (RFC 9106), computed by Bouncy Castle, stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}). The parameters are OWASP's first
 * recommendation for Argon2id: 19 MiB of memory, 2 passes, 1 lane, a 16-byte random salt and a
 * 32-byte hash; docs/console.md lists them. A stored hash carries its own parameters, so raising
 * them later keeps older hashes verifiable.
 *
 * <p>Each hash takes 19 MiB and tens of milliseconds of one core: at most as many run at once as
 * the machine has cores, so a flood of sign-ins queues here instead of exhausting memory.
 */
public final class PasswordHasher {

    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 1000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final Semaphore running = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    // Verified when the email is unknown, so that answer costs what a wrong password costs. Made on
    // first use, not at start: a server that nobody signs in to never spends the time.
    private volatile String dummyHash;

    public PasswordHasher() {
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            dummyHash = hash = hash("not the password of anyone " + RANDOM.nextLong());
        }
        return hash;
    }

    /**
     * The rule every door applies to a new password (the console's forms, {@code owner create
     * --password-stdin}, {@code owner set-password}, invites): 10 to 1000 characters. Long
     * passphrases are welcome; the upper bound only keeps one hash from being a denial of service.
     */
    public static String requireAcceptable(String field, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new InvalidInput(field + " must be at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new InvalidInput(field + " must be at most " + MAX_LENGTH + " characters");
        }
        if (password.isBlank()) {
            throw new InvalidInput(field + " must not be only spaces");
        }
        return password;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = compute(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} is the one hashed; a malformed or absent hash matches nothing. */
    public boolean verify(String password, String storedHash) {
        Matcher phc = storedHash == null ? null : PHC.matcher(storedHash);
        if (phc == null || !phc.matches()) {
            // Spend the same time all the same: the caller's answer must not tell the cases apart.
            verify(password, dummyHash());
            return false;
        }
        byte[] salt = B64_DECODER.decode(phc.group(4));
        byte[] expected = B64_DECODER.decode(phc.group(5));
        byte[] actual = compute(password, salt, Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)),
                Integer.parseInt(phc.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** As long as {@link #verify} against a real hash, and always false: for an unknown email. */
    public void verifyDummy(String password) {
        verify(password, dummyHash());
    }

    private byte[] compute(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        running.acquireUninterruptibly();
        try {
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            running.release();
        }
        return out;
    }
}
