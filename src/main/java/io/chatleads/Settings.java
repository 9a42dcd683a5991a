package io.chatleads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Request threads block on their connection, so a pool smaller than the requests in flight makes
     * every return a hand-off between threads. At 16 concurrent clients on 2 cores, 16 beat 5, 10
     * and 24 on ingest (BENCHMARKS.md, 2026-11-24) and matched 10 on hot.
     */
    static final int POSTGRES_POOL_SIZE = 16;

    /**
     * Every setting chatleads reads, one line each: what {@code chatleads config} prints and what the
     * settings table in docs/operations.md lists (a test holds the two together). A feature adds its
     * settings here, in its own block, and reads them through {@link #integer}, {@link #string} or
     * {@link #bool}; the default written here is the one shown to operators, so keep it equal to the
     * default passed to the accessor.
     */
    private static final List<Definition> DEFINITIONS = List.of(
            // database
            setting("CHATLEADS_DB_URL", DEFAULT_DB_URL, "jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DB. Passwords inside the URL are masked when printed."),
            setting("CHATLEADS_DB_USER", "", "Database user (PostgreSQL)."),
            secret("CHATLEADS_DB_PASSWORD", "", "Database password (PostgreSQL)."),
            setting("CHATLEADS_DB_POOL_SIZE", "4 (SQLite), 16 (PostgreSQL)", "Maximum connections in the pool, 1 to 200."),
            setting("CHATLEADS_DB_CONNECTION_TIMEOUT_MS", "3000", "How long a request waits for a pooled database connection before it is answered 503 (database unavailable, `Retry-After: 2`), 250 to 60000."),
            setting("CHATLEADS_DB_READ_URL", "", "Comma-separated jdbc:postgresql:// URLs of streaming replicas of CHATLEADS_DB_URL: get-leads pages, exports, lead-stats and the console's lists, charts and search read from those that are up and not lagging; everything else, and all when none is, from the primary. PostgreSQL only. Passwords inside the URLs are masked when printed."),
            setting("CHATLEADS_DB_READ_MAX_LAG_SECONDS", "5", "A replica whose data is more than this far behind the primary's, 1 to 3600, is skipped until it catches up."),
            setting("CHATLEADS_DB_READ_CHECK_MS", "1000", "How often each replica's state and lag are checked, 100 to 60000."),
            // HTTP server
            setting("PORT", "8080", "Public HTTP port; `serve --port` overrides it. 0 picks a free port."),
            setting("CHATLEADS_RESPONSE_ENVELOPE", "data", "get-leads body shape for keys without their own: `data` ({\"data\":[…]}), `collectedCustomers` ({\"collectedCustomers\":{\"data\":[…]}}) or `collectedCustomersArray` ({\"collectedCustomers\":[…]}, each lead with `account_id`)."),
            // operations
            setting("CHATLEADS_MANAGEMENT_PORT", "", "When set, /metrics and /health/* are served on this port only, not on the public one."),
            setting("CHATLEADS_LOG_FORMAT", "text", "`text` or `json` (one JSON object per line)."),
            setting("CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS", "20", "On SIGTERM, how long requests in flight may take to finish, 0 to 3600."),
            setting("CHATLEADS_HTTP_IDLE_TIMEOUT_SECONDS", "30", "A connection that sends or receives nothing this long is closed (also bounds a client that stops while sending headers), 1 to 3600."),
            setting("CHATLEADS_HTTP_MAX_HEADER_BYTES", "16384", "Largest request line plus headers; larger requests get 431. 1024 to 1048576."),
            setting("CHATLEADS_HTTP_MAX_BODY_BYTES", "1048576", "Largest request body; larger requests get 413. 1024 to 104857600."),
            setting("CHATLEADS_HTTP_COMPRESSION", "true", "`false` sends every answer uncompressed; else answers of at least CHATLEADS_HTTP_COMPRESSION_MIN_BYTES (and streamed ones: CSV exports) are gzipped for clients whose Accept-Encoding allows it."),
            setting("CHATLEADS_HTTP_COMPRESSION_MIN_BYTES", "1400", "The smallest answer that is compressed, 0 to 104857600; smaller ones fit one packet anyway."),
            setting("CHATLEADS_HEALTH_TIMEOUT_MILLIS", "2000", "How long /health/ready waits for the database, 100 to 60000."),
            // lead capture
            setting("CHATLEADS_WIDGET_RATE_LIMIT", "10", "Widget submissions per client IP and chatbot per window; 0 = unlimited."),
            setting("CHATLEADS_WIDGET_RATE_WINDOW_SECONDS", "60", "The widget rate-limit window, 1 to 86400."),
            setting("CHATLEADS_IDEMPOTENCY_KEY_HOURS", "24", "How long an Idempotency-Key of a lead submission is remembered, 1 to 8760; a retry after that creates a new lead."),
            setting("CHATLEADS_LEAD_RETENTION_DAYS", "", "Days leads are kept, 1 to 36500, for owners without their own (`owner retention`); unset: forever. Older leads are deleted by every server."),
            setting("CHATLEADS_API_RATE_LIMIT", "100", "Authenticated API calls per key per window; 0 = unlimited."),
            setting("CHATLEADS_API_RATE_WINDOW_SECONDS", "10", "The API rate-limit window, 1 to 86400."),
            secret("CHATLEADS_REDIS_URL", "", "redis://[:PASSWORD@]HOST[:PORT][/DB]: the API and widget rate limits hold for every server on one PostgreSQL, counted in this Redis (Bucket4j). Unset: each server counts alone. Not with SQLite."),
            setting("CHATLEADS_REDIS_KEY_PREFIX", "chatleads:ratelimit:", "Prefix of the rate-limit buckets' keys in that Redis."),
            setting("CHATLEADS_REDIS_LEASE_PERCENT", "10", "Share of a limit, 1 to 100, that a server takes from the shared bucket at a time (at least one request); see docs/capture.md \"Rate limits\"."),
            setting("CHATLEADS_TRUST_X_FORWARDED_FOR", "false", "Count widget clients by the last X-Forwarded-For address (only behind your own proxy)."),
            setting("CHATLEADS_PUBLIC_URL", "", "The address clients use, such as https://leads.example.com, for get-leads' Link header; unset: the request's own scheme and Host."),

            // webhooks
            setting("CHATLEADS_WEBHOOK_ALLOW_PRIVATE", "false", "`true` allows webhook endpoints on loopback, private and other non-public addresses (tests, internal receivers)."),
            secret("CHATLEADS_WEBHOOK_SECRET_KEY", "", "32 bytes in base64; encrypts webhook signing secrets at rest (AES-256-GCM). Same value on every server."),
            secret("CHATLEADS_WEBHOOK_PREVIOUS_SECRET_KEYS", "", "Comma-separated older keys (32 bytes in base64 each) that still decrypt signing secrets but never encrypt; for key rotation, until `webhook rekey` has run."),
            setting("CHATLEADS_WEBHOOK_SECRET_GRACE_HOURS", "24", "After a webhook's signing secret is rotated, how long the old one still signs beside the new one, 0 to 720."),
            setting("CHATLEADS_WEBHOOK_CONCURRENCY", "8", "Delivery attempts one server runs at once; 0: this server does not send."),
            setting("CHATLEADS_WEBHOOK_POLL_MS", "1000", "How often an idle delivery worker looks for due events, 10 to 60000."),
            setting("CHATLEADS_WEBHOOK_RETRY_BASE_MS", "180000", "The first retry's wait; each later one doubles (plus or minus 20 %)."),
            setting("CHATLEADS_WEBHOOK_MAX_ATTEMPTS", "10", "Automatic attempts before a delivery is `failed`, 1 to 100."),
            setting("CHATLEADS_WEBHOOK_LEASE_MS", "60000", "How long a claimed attempt is one server's alone, 20000 to 3600000."),
            // owner console
            setting("CHATLEADS_CONSOLE_SIGN_UP", "false", "`true` lets anyone who reaches /console/sign-up create an owner account; off, owners come from `owner create` or `owner invite`."),
            setting("CHATLEADS_SESSION_IDLE_MINUTES", "60", "A console session unused this long ends, 1 to 43200."),
            setting("CHATLEADS_SESSION_MAX_HOURS", "24", "A console session ends this long after sign-in however much it is used, 1 to 8760."),
            // performance
            setting("CHATLEADS_CACHE_TTL_MS", "5000", "How long verified keys, chatbot owners and chatbot capture settings are cached, 0 to 5000; a key revoked or a capture setting changed on another server applies within this time."),
            setting("CHATLEADS_BENCH_ENDPOINTS", "false", "`true` adds /bench/fixed, a fixed-body endpoint for measuring the HTTP ceiling (bench/run.sh). Never in production.")
    );

    /** Names read through the accessors since start; a test checks that each one is in {@link #definitions()}. */
    private static final Set<String> READ = ConcurrentHashMap.newKeySet();

    /**
     * The shape get-leads wraps its list in, by the name the setting and an API key use; see README
     * "Compatibility".
     */
    public enum ResponseEnvelope {
        /** {@code {"data":[…]}}: the hosted service's guide. */
        DATA("data"),
        /** {@code {"collectedCustomers":{"data":[…]}}}: what the hosted service answers live. */
        COLLECTED_CUSTOMERS("collectedCustomers"),
        /** {@code {"collectedCustomers":[…]}}, each lead with {@code account_id} too: its current API reference. */
        COLLECTED_CUSTOMERS_ARRAY("collectedCustomersArray");

        private final String value;

        ResponseEnvelope(String value) {
            this.value = value;
        }

        /** The name in settings, on keys and in the API. */
        public String value() {
            return value;
        }

        /** The shape of this name, exactly as written; empty for any other text. */
        public static java.util.Optional<ResponseEnvelope> named(String value) {
            for (ResponseEnvelope shape : values()) {
                if (shape.value.equals(value)) {
                    return java.util.Optional.of(shape);
                }
            }
            return java.util.Optional.empty();
        }

        /** The names, for messages: {@code 'data', 'collectedCustomers' or 'collectedCustomersArray'}. */
        public static String names() {
            return "'data', 'collectedCustomers' or 'collectedCustomersArray'";
        }
    }

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
                integer(env, "CHATLEADS_DB_POOL_SIZE", url.startsWith("jdbc:sqlite:") ? 4 : POSTGRES_POOL_SIZE, 1, 200),
                integer(env, "PORT", 8080, 0, 65535),
                envelope(env.get("CHATLEADS_RESPONSE_ENVELOPE")));
    }

    /** One documented setting. {@code secret} ones are masked wherever they are printed. */
    public record Definition(String name, String defaultValue, boolean secret, String description) {
    }

    private static Definition setting(String name, String defaultValue, String description) {
        return new Definition(name, defaultValue, false, description);
    }

    private static Definition secret(String name, String defaultValue, String description) {
        return new Definition(name, defaultValue, true, description);
    }

    public static List<Definition> definitions() {
        return DEFINITIONS;
    }

    /** Every setting name read through the accessors so far in this JVM. */
    public static Set<String> namesRead() {
        return new TreeSet<>(READ);
    }

    /**
     * The effective value of every defined setting as an operator may see it: secrets as {@code ****},
     * passwords inside database URLs masked, unset ones as their default. Environment variables that
     * look like chatleads settings but are not defined are listed too, as likely typos.
     */
    public Map<String, String> describe() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (Definition definition : DEFINITIONS) {
            String raw = env.get(definition.name());
            String value;
            if (raw == null || raw.isBlank()) {
                value = definition.defaultValue().isEmpty() ? "(unset)" : definition.defaultValue() + " (default)";
            } else if (definition.secret()) {
                value = "****";
            } else {
                value = redactUrl(raw.trim());
            }
            shown.put(definition.name(), value);
        }
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith("CHATLEADS_") && !name.startsWith("CHATLEADS_TEST_")
                    && DEFINITIONS.stream().noneMatch(d -> d.name().equals(name))) {
                unknown.add(name);
            }
        }
        for (String name : unknown) {
            // an unknown variable's value could be anything, a secret included: show only that it is set
            shown.put(name, "(set, but not a chatleads setting)");
        }
        return shown;
    }

    /**
     * Database URLs may carry a password as user info ({@code //user:password@host}) or as a
     * parameter ({@code password=…}, {@code sslpassword=…}); never print it. The password may itself
     * hold '@', '/', '?' or ';' unencoded: the user info ends at the last '@' before the query
     * (which starts at the first {@code ?name=}), and a parameter's value at the next '&'.
     */
    public static String redactUrl(String value) {
        List<String> urls = urlList(value);
        if (urls.size() > 1) {
            // several URLs in one setting (CHATLEADS_DB_READ_URL): each its own user info and parameters
            return String.join(",", urls.stream().map(Settings::redactUrl).toList());
        }
        String url = value;
        int authority = url.indexOf("//");
        if (authority >= 0) {
            int start = authority + 2;
            Matcher query = QUERY_START.matcher(url);
            int end = query.find(start) ? query.start() : url.length();
            int at = url.lastIndexOf('@', end - 1);
            int colon = url.indexOf(':', start);
            if (at >= start && colon >= 0 && colon < at) {
                url = url.substring(0, colon + 1) + "****" + url.substring(at);
            }
        }
        return PASSWORD_PARAMETER.matcher(url).replaceAll("$1****");
    }

    /**
     * A setting that lists JDBC URLs, split at each comma that a {@code jdbc:} follows (a comma
     * inside a URL, in a password say, stays in it), each trimmed.
     */
    public static List<String> urlList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(URL_LIST_SEPARATOR.split(value.trim())).map(String::trim).toList();
    }

    private static final Pattern URL_LIST_SEPARATOR = Pattern.compile(",(?=\\s*jdbc:)");

    /** Where a URL's query starts: a '?' followed by a parameter name and '='. */
    private static final Pattern QUERY_START = Pattern.compile("\\?[A-Za-z_][A-Za-z0-9_.-]*=");
    /** {@code password=} and {@code sslpassword=}, any case, after '?', '&' or ';', up to the next '&'. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:^|[?&;])[a-z]*password=)[^&]*");

    public Settings withPort(int newPort) {
        return new Settings(env, dbUrl, dbUser, dbPassword, dbPoolSize, newPort, responseEnvelope);
    }

    /** An integer setting in [min, max], else {@link SettingsException} naming the variable. */
    public int integer(String name, int defaultValue, int min, int max) {
        READ.add(name);
        return integer(env, name, defaultValue, min, max);
    }

    public String string(String name, String defaultValue) {
        READ.add(name);
        return nonBlank(env.get(name), defaultValue);
    }

    /** One of {@code allowed} (exactly), else {@link SettingsException} listing them. */
    public String choice(String name, String defaultValue, String... allowed) {
        String value = string(name, defaultValue);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw new SettingsException(name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    /** {@code true} or {@code false} (any case); anything else is a {@link SettingsException}. */
    public boolean bool(String name, boolean defaultValue) {
        READ.add(name);
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
        if (value == null || value.isBlank()) {
            return ResponseEnvelope.DATA;
        }
        return ResponseEnvelope.named(value).orElseThrow(() -> new SettingsException(
                "CHATLEADS_RESPONSE_ENVELOPE must be " + ResponseEnvelope.names() + ", got '" + value + "'"));
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
