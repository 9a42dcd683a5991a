package io.chatleads.chatbot;

import io.chatleads.error.InvalidInput;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How a chatbot takes leads from its widget: whether capture is on, which browser origins may
 * submit (none listed means any), and the region for phone numbers written without +country.
 */
public record ChatbotSettings(String chatbotId, boolean captureEnabled, String defaultRegion,
                              List<String> allowedOrigins) {

    public static final int MAX_ALLOWED_ORIGINS = 100;

    private static final Set<String> REGIONS = PhoneNumberUtil.getInstance().getSupportedRegions();

    public ChatbotSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Whether a browser page at {@code origin} (null when the browser sent none) may submit leads. */
    public boolean allowsOrigin(String origin) {
        if (allowedOrigins.isEmpty()) {
            return true;
        }
        // Not every Origin value is an origin ("null" from sandboxed pages): those match nothing.
        String normalized = normalizeOriginOrNull(origin);
        return normalized != null && allowedOrigins.contains(normalized);
    }

    /** A change to some settings; an empty field leaves that setting as it is. */
    public record Change(Optional<String> name, Optional<Boolean> captureEnabled,
                         Optional<Optional<String>> defaultRegion, Optional<List<String>> allowedOrigins) {

        public static Change none() {
            return new Change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        public Change withName(String value) {
            return new Change(Optional.of(chatbotName("name", value)), captureEnabled, defaultRegion, allowedOrigins);
        }

        public Change withCaptureEnabled(boolean value) {
            return new Change(name, Optional.of(value), defaultRegion, allowedOrigins);
        }

        /** {@code null} clears the region. */
        public Change withDefaultRegion(String value) {
            return new Change(name, captureEnabled, Optional.of(Optional.ofNullable(region(value))), allowedOrigins);
        }

        public Change withAllowedOrigins(List<String> values) {
            if (values.size() > MAX_ALLOWED_ORIGINS) {
                throw new InvalidInput("allowedOrigins may list at most " + MAX_ALLOWED_ORIGINS + " origins");
            }
            return new Change(name, captureEnabled, defaultRegion,
                    Optional.of(values.stream().map(ChatbotSettings::origin).distinct().toList()));
        }
    }

    /** The name, stripped; a 400 naming {@code field} (chatbotName, name, --name: each door calls it its own way). */
    public static String chatbotName(String field, String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidInput(field + " must be 1 to 200 characters");
        }
        // A label for people: a tab or line break in it is a pasting mistake that would split or
        // shift the row of any listing that shows names one a line (as key names are refused for).
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput(field + " must not contain control characters such as tabs or line breaks");
        }
        return name;
    }

    /** An ISO 3166 region libphonenumber knows, upper-cased; null or blank means none. */
    public static String region(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String region = raw.strip().toUpperCase(Locale.ROOT);
        if (!REGIONS.contains(region)) {
            throw new InvalidInput("defaultRegion must be a two-letter country code such as US or DE, got '" + raw + "'");
        }
        return region;
    }

    /**
     * An origin as browsers send it: scheme, host and a non-default port, lower-cased, with no path.
     * Stored in this form so that comparing with the Origin header is plain equality.
     */
    public static String origin(String raw) {
        String origin = normalizeOriginOrNull(raw);
        if (origin == null) {
            throw new InvalidInput("allowed origin must look like https://example.com (scheme and host, no path), got '" + raw + "'");
        }
        return origin;
    }

    private static String normalizeOriginOrNull(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.strip();
        if (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null
                || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            return null; // URI takes any digits as a port; no browser sends these
        }
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
