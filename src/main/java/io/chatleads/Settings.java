package io.chatleads;

import java.util.Map;

/**
 * Every setting the server and the command line read, taken from environment variables so that
 * both see the same database. Tests build one from a plain map. Features read their own settings
 * through {@link #integer}, {@link #string} and {@link #bool}, so each rule lives beside its feature.
 */
public record Settings(
        Map<String, String> env,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        int port,
        ResponseEnvelope responseEnvelope) {

    public static final String DEFAULT_DB_URL = "jdbc:sqlite:./data/chatleads.db";

    /** The shape get-leads wraps its list in; see README "Compatibility". */
    public enum ResponseEnvelope { DATA, COLLECTED_CUSTOMERS }

    public Settings {
        env = Map.copyOf(env);
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        String url = nonBlank(env.get("CHATLEADS_DB_URL"), DEFAULT_DB_URL);
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new SettingsException("CHATLEADS_DB_URL must start with jdbc:sqlite: or jdbc:postgresql:, got '" + url + "'");
        }
        return new Settings(
                env,
                url,
                env.get("CHATLEADS_DB_USER"),
                env.get("CHATLEADS_DB_PASSWORD"),
                integer(env, "CHATLEADS_DB_POOL_SIZE", url.startsWith("jdbc:sqlite:") ? 4 : 10, 1, 200),
                integer(env, "PORT", 8080, 0, 65535),
                envelope(env.get("CHATLEADS_RESPONSE_ENVELOPE")));
    }

    public Settings withPort(int newPort) {
        return new Settings(env, dbUrl, dbUser, dbPassword, dbPoolSize, newPort, responseEnvelope);
    }

    /** An integer setting in [min, max], else {@link SettingsException} naming the variable. */
    public int integer(String name, int defaultValue, int min, int max) {
        return integer(env, name, defaultValue, min, max);
    }

    public String string(String name, String defaultValue) {
        return nonBlank(env.get(name), defaultValue);
    }

    /** {@code true} or {@code false} (any case); anything else is a {@link SettingsException}. */
    public boolean bool(String name, boolean defaultValue) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        if (raw.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw new SettingsException(name + " must be true or false, got '" + raw + "'");
    }

    private static ResponseEnvelope envelope(String value) {
        if (value == null || value.isBlank() || value.equals("data")) {
            return ResponseEnvelope.DATA;
        }
        if (value.equals("collectedCustomers")) {
            return ResponseEnvelope.COLLECTED_CUSTOMERS;
        }
        throw new SettingsException("CHATLEADS_RESPONSE_ENVELOPE must be 'data' or 'collectedCustomers', got '" + value + "'");
    }

    private static int integer(Map<String, String> env, String name, int defaultValue, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new SettingsException(name + " must be an integer from " + min + " to " + max + ", got '" + raw + "'");
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** A setting that cannot be used; its message is one line meant for the operator. */
    public static final class SettingsException extends RuntimeException {
        public SettingsException(String message) {
            super(message);
        }
    }
}
