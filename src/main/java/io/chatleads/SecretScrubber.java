package io.chatleads;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that chatleads did not write itself and is about to log or print: the
 * messages of drivers' and libraries' exceptions (pgjdbc repeats a URL's {@code user:password@} in
 * its own words), request paths and query strings as clients sent them. What goes:
 * <ul>
 *   <li>URL user-info, {@code user:password@host} (also without {@code //} in front, as drivers
 *       quote it): {@code user:****@host};</li>
 *   <li>{@code password=…} up to the next {@code &}, {@code ;}, quote or space: {@code password=****};</li>
 *   <li>anything shaped like a chatleads API key ({@code cl_} and 12 or more key characters; the
 *       8-character prefix shown in key lists stays) or signing secret ({@code whsec_…}):
 *       {@code cl_****}, {@code whsec_****};</li>
 *   <li>secrets the process was configured with ({@link #remember}: the database password), as
 *       written and URL-encoded, wherever they appear: {@code ****}.</li>
 * </ul>
 * In the root package so that every layer (database, HTTP, logging, command line) can use it
 * without depending on another.
 */
public final class SecretScrubber {

    private static final String MASK = "****";
    /** user:password@ — the password may itself hold '@' (the last one before the host ends it). */
    private static final Pattern USER_INFO = Pattern.compile("(?<=^|[\\s/'\"(=,;<\\[])([^\\s:/@?#'\"<>\\[\\]]+):([^\\s/?#'\"<>]*)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;\\s'\"]*");
    private static final Pattern API_KEY = Pattern.compile("cl_[A-Za-z0-9_-]{12,}");
    private static final Pattern SIGNING_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=_-]{4,}");
    /** Shorter ones would mask ordinary words. */
    private static final int SHORTEST_REMEMBERED = 4;

    private static final Set<String> REMEMBERED = new CopyOnWriteArraySet<>();
    /** {@link #REMEMBERED}, longest first (a remembered value that contains another is masked whole); rebuilt on change. */
    private static volatile List<String> rememberedLongestFirst = List.of();
    /** Bounds the walk along a throwable's causes, for a chain that loops back on itself. */
    private static final int MAX_CAUSES = 32;

    private SecretScrubber() {
    }

    /**
     * Masks {@code secret} (and its URL-encoded form) wherever {@link #scrub} meets it from now on,
     * whatever its shape: for values such as a database password, which no pattern can recognise.
     */
    public static void remember(String secret) {
        if (secret == null || secret.length() < SHORTEST_REMEMBERED) {
            return;
        }
        REMEMBERED.add(secret);
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!encoded.equals(secret)) {
            REMEMBERED.add(encoded);
        }
        rememberedLongestFirst = REMEMBERED.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * The text with every secret it recognises masked; null stays null. Cheap on text without
     * secrets: it runs on every log event (ops.LogConfiguration).
     */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : rememberedLongestFirst) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        if (out.indexOf('@') >= 0) {
            out = USER_INFO.matcher(out).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + ":" + MASK + "@"));
        }
        if (containsIgnoreCase(out, "password=")) {
            out = PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + MASK);
        }
        if (out.contains("cl_")) {
            out = API_KEY.matcher(out).replaceAll("cl_" + MASK);
        }
        if (out.contains("whsec_")) {
            out = SIGNING_SECRET.matcher(out).replaceAll("whsec_" + MASK);
        }
        return out;
    }

    /**
     * {@code failure} as it may be logged or printed: itself when no message along its causes and
     * suppressed exceptions holds a secret; else a copy of the whole chain, each throwable a
     * {@link Scrubbed} that names the original class, carries its scrubbed message and keeps its
     * stack trace. Null stays null.
     */
    public static Throwable scrubbed(Throwable failure) {
        if (failure == null || !holdsSecret(failure, 0)) {
            return failure;
        }
        return copy(failure, 0);
    }

    private static boolean holdsSecret(Throwable failure, int depth) {
        if (failure == null || depth >= MAX_CAUSES) {
            return false;
        }
        String message = failure.getMessage();
        if (message != null && !scrub(message).equals(message)) {
            return true;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (holdsSecret(suppressed, depth + 1)) {
                return true;
            }
        }
        return failure.getCause() != failure && holdsSecret(failure.getCause(), depth + 1);
    }

    private static Throwable copy(Throwable original, int depth) {
        Throwable cause = original.getCause();
        Scrubbed copy = new Scrubbed(original,
                cause == null || cause == original || depth + 1 >= MAX_CAUSES ? null : copy(cause, depth + 1));
        for (Throwable suppressed : original.getSuppressed()) {
            if (depth + 1 < MAX_CAUSES) {
                copy.addSuppressed(copy(suppressed, depth + 1));
            }
        }
        return copy;
    }

    /** A throwable as {@link #scrubbed} copies it: the original's class name and scrubbed message, its stack trace. */
    public static final class Scrubbed extends RuntimeException {
        private Scrubbed(Throwable original, Throwable cause) {
            super(original.getClass().getName() + (original.getMessage() == null ? "" : ": " + scrub(original.getMessage())),
                    cause, true, true);
            setStackTrace(original.getStackTrace());
        }
    }

    private static boolean containsIgnoreCase(String text, String part) {
        for (int i = 0; i + part.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }
}
