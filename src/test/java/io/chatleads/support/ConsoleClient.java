package io.chatleads.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser as far as the console's HTTP goes: it keeps cookies, does not follow redirects (tests
 * look at them), posts forms with the CSRF token of the last page it got and its own Origin.
 */
public final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final TestServer server;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;
    private String token;

    public ConsoleClient(TestServer server) {
        this.server = server;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    public HttpResponse<String> get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
        Matcher csrf = CSRF.matcher(response.body());
        if (csrf.find()) {
            token = csrf.group(1);
        }
        return response;
    }

    /** Posts {@code name, value, …} with the last page's CSRF token and this server's Origin. */
    public HttpResponse<String> post(String path, String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", token);
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return post(path, form, origin());
    }

    /** Posts exactly {@code form} (no token added); {@code origin} null sends no Origin header. */
    public HttpResponse<String> post(String path, Map<String, String> form, String origin) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> {
            if (value != null) {
                body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (origin != null) {
            request.header("Origin", origin);
        }
        HttpResponse<String> response = send(request.build());
        Matcher csrf = CSRF.matcher(response.body());
        if (csrf.find()) {
            token = csrf.group(1);
        }
        return response;
    }

    /** Signs in through the form; the answer is the 303 to the chatbots page when it worked. */
    public HttpResponse<String> signIn(String email, String password) {
        get("/console/sign-in");
        return post("/console/sign-in", "email", email, "password", password);
    }

    /** The CSRF token of the last page, as a forged form would lack it. */
    public String token() {
        return token;
    }

    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Another browser holding the same session cookie (a second server, a stolen cookie). */
    public ConsoleClient sameSessionOn(TestServer other) {
        ConsoleClient copy = new ConsoleClient(other);
        for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
            HttpCookie moved = new HttpCookie(cookie.getName(), cookie.getValue());
            moved.setPath(cookie.getPath());
            moved.setVersion(0);
            copy.cookies.getCookieStore().add(other.uri("/console"), moved);
        }
        return copy;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
