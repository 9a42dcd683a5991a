package io.chatleads.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Strong entity tags for bodies served whole from memory, and the {@code If-None-Match} test. */
public final class EntityTags {

    private EntityTags() {
    }

    /** {@code "…"}: the first 128 bits of the body's SHA-256, so equal bodies have equal tags on every server. */
    public static String of(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Whether an {@code If-None-Match} header names one of {@code tags}: {@code *}, or a listed tag
     * compared weakly, as RFC 9110 says this header is (a {@code W/} prefix is ignored).
     */
    public static boolean noneMatchHits(String ifNoneMatch, String... tags) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            for (String known : tags) {
                if (known.equals(tag)) {
                    return true;
                }
            }
        }
        return false;
    }
}
