package io.chatleads.db;

import io.chatleads.SecretScrubber;
import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The vertx-pg-client connection options for the database the settings name, so that connections
 * opened on an event loop reach the same server, as the same user, as the JDBC pool does. Reads
 * {@code jdbc:postgresql://HOST[:PORT]/DATABASE?PARAMS} (and pgjdbc's short
 * {@code jdbc:postgresql:DATABASE}) with pgjdbc's defaults; of the parameters it takes {@code user},
 * {@code password}, {@code sslmode}, {@code sslrootcert} and {@code currentSchema}, and leaves the
 * others, which tune the JDBC driver, alone.
 */
public final class PostgresConnectOptions {

    private static final String URL_PREFIX = "jdbc:postgresql:";
    private static final int DEFAULT_PORT = 5432;

    private PostgresConnectOptions() {
    }

    /** The options, or a one-line {@link SettingsException} naming CHATLEADS_DB_URL. */
    public static PgConnectOptions of(Settings settings) {
        return of("CHATLEADS_DB_URL", settings.dbUrl(), settings.dbUser(), settings.dbPassword());
    }

    /**
     * The options for {@code url}, the value (or one of the values) of setting {@code setting}, with
     * {@code user} and {@code password} taking precedence over the URL's own, as for the primary; or a
     * one-line {@link SettingsException} naming {@code setting}.
     */
    public static PgConnectOptions of(String setting, String url, String user, String password) {
        if (!url.startsWith(URL_PREFIX)) {
            throw invalid(setting, url, "is not a PostgreSQL URL (jdbc:postgresql://HOST[:PORT]/DATABASE)");
        }
        String rest = url.substring(URL_PREFIX.length());
        int query = rest.indexOf('?');
        Map<String, String> params = query < 0 ? Map.of() : params(rest.substring(query + 1));
        String location = query < 0 ? rest : rest.substring(0, query);

        refuseUserInfo(setting, url);
        PgConnectOptions options = new PgConnectOptions();
        String database;
        if (location.startsWith("//")) {
            int slash = location.indexOf('/', 2);
            hostAndPort(setting, url, slash < 0 ? location.substring(2) : location.substring(2, slash), options);
            database = slash < 0 ? "" : decode(location.substring(slash + 1));
        } else {
            options.setHost("localhost").setPort(DEFAULT_PORT);
            database = decode(location);
        }

        String userName = firstSet(user, params.get("user"), System.getProperty("user.name"));
        options.setUser(userName);
        String secret = firstSet(password, params.get("password"), null);
        if (secret != null) {
            options.setPassword(secret);
        }
        // As in pgjdbc and libpq: without a database name, the server takes the user's.
        options.setDatabase(database.isEmpty() ? userName : database);
        String schema = params.get("currentSchema");
        if (schema != null && !schema.isBlank()) {
            // pgjdbc sets search_path for currentSchema; here it goes in the start-up message.
            options.addProperty("search_path", schema);
        }
        ssl(setting, url, params, options);
        return options;
    }

    /**
     * Refuses {@code user:password@} before the host: pgjdbc does not read it (it takes it for a
     * host and port, fails, and repeats it in its messages), so it would never log in anyway.
     */
    static void refuseUserInfo(String url) {
        refuseUserInfo("CHATLEADS_DB_URL", url);
    }

    static void refuseUserInfo(String setting, String url) {
        if (!url.startsWith(URL_PREFIX + "//")) {
            return;
        }
        String rest = url.substring(URL_PREFIX.length() + 2);
        int end = rest.length();
        for (char stop : new char[] {'/', '?'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        if (rest.substring(0, end).contains("@")) {
            // Worded without a "name:secret@" or "password=" shape: the scrubber would mask the sentence itself.
            throw invalid(setting, url, "has a user name and password before the host, which the PostgreSQL driver does not read; "
                    + "put them in the URL's user and password parameters or in CHATLEADS_DB_USER and CHATLEADS_DB_PASSWORD");
        }
    }

    /** The password a PostgreSQL URL carries ({@code password=} or user-info), decoded, or null. */
    static String urlPassword(String url) {
        int query = url.indexOf('?');
        if (query >= 0) {
            String password = params(url.substring(query + 1)).get("password");
            if (password != null && !password.isEmpty()) {
                return password;
            }
        }
        int start = url.indexOf("//");
        int at = url.lastIndexOf('@', query < 0 ? url.length() : query);
        if (start >= 0 && at > start) {
            String userInfo = url.substring(start + 2, at);
            int colon = userInfo.indexOf(':');
            return colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        return null;
    }

    private static void hostAndPort(String setting, String url, String authority, PgConnectOptions options) {
        if (authority.contains(",")) {
            throw invalid(setting, url, "names several hosts; connections from the event loops take exactly one");
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(setting, url, "has an IPv6 address without its closing ']'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                port = after.substring(1);
            } else if (!after.isEmpty()) {
                throw invalid(setting, url, "has '" + after + "' after the host");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        options.setHost(host.isEmpty() ? "localhost" : host);
        options.setPort(port == null || port.isEmpty() ? DEFAULT_PORT : port(setting, url, port));
    }

    private static int port(String setting, String url, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 1 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(setting, url, "has port '" + port + "'; a port is a number from 1 to 65535");
    }

    /**
     * pgjdbc's sslmode, default {@code prefer}. Like pgjdbc, allow, prefer and require encrypt without
     * checking the server's certificate; verify-ca checks it against sslrootcert (pgjdbc's default
     * file ~/.postgresql/root.crt when not given), and verify-full checks the host name too.
     */
    private static void ssl(String setting, String url, Map<String, String> params, PgConnectOptions options) {
        String mode = params.getOrDefault("sslmode", "prefer");
        SslMode sslMode = switch (mode) {
            case "disable" -> SslMode.DISABLE;
            case "allow" -> SslMode.ALLOW;
            case "prefer" -> SslMode.PREFER;
            case "require" -> SslMode.REQUIRE;
            case "verify-ca" -> SslMode.VERIFY_CA;
            case "verify-full" -> SslMode.VERIFY_FULL;
            default -> throw invalid(setting, url, "has sslmode=" + mode
                    + "; use one of disable, allow, prefer, require, verify-ca, verify-full");
        };
        options.setSslMode(sslMode);
        if (sslMode == SslMode.DISABLE) {
            return;
        }
        ClientSSLOptions ssl = new ClientSSLOptions();
        if (sslMode == SslMode.VERIFY_CA || sslMode == SslMode.VERIFY_FULL) {
            String rootCert = params.get("sslrootcert");
            if (rootCert == null) {
                Path pgjdbcDefault = Path.of(System.getProperty("user.home"), ".postgresql", "root.crt");
                if (!Files.isRegularFile(pgjdbcDefault)) {
                    throw invalid(setting, url, "has sslmode=" + mode + " but no sslrootcert=PATH, and there is no "
                            + pgjdbcDefault + " to check the server's certificate with");
                }
                rootCert = pgjdbcDefault.toString();
            }
            ssl.setTrustOptions(new PemTrustOptions().addCertPath(rootCert));
            ssl.setHostnameVerificationAlgorithm(sslMode == SslMode.VERIFY_FULL ? "HTTPS" : "");
        } else {
            ssl.setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        options.setSslOptions(ssl);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            params.put(name, value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a stray '%' in a password, say: pgjdbc then takes the text as written
            return text;
        }
    }

    private static String firstSet(String first, String second, String fallback) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        if (second != null && !second.isEmpty()) {
            return second;
        }
        return fallback;
    }

    private static SettingsException invalid(String setting, String url, String problem) {
        SecretScrubber.remember(urlPassword(url));
        return new SettingsException(setting + " " + SecretScrubber.scrub(Settings.redactUrl(url)) + " " + problem);
    }
}
