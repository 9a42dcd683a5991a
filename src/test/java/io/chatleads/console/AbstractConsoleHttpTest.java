package io.chatleads.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatleads.account.Accounts;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.Lead;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.ConsoleClient;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestServer;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.Receiver;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owner console over real HTTP on a real server and database: sign-in and its throttle, the
 * session cookie, CSRF and Origin refusals, every page's forms, and another owner's things
 * answering exactly like missing ones.
 */
abstract class AbstractConsoleHttpTest extends ServerTestBase {

    static final String PASSWORD = "correct horse battery";
    private static final Pattern LEAD_ROW = Pattern.compile("data-lead-id=\"(\\d+)\"");

    @Override
    protected Map<String, String> serverEnv() {
        return Map.of(EndpointPolicy.ALLOW_PRIVATE_SETTING, "true", "CHATLEADS_WEBHOOK_POLL_MS", "50");
    }

    Accounts accounts() {
        return Accounts.of(database.settings(), app().database().jdbi(), app().clock(), app().owners(), Duration.ZERO);
    }

    /** A new owner with a console password. */
    Owner owner() {
        return accounts().createOwner("console-" + UUID.randomUUID() + "@example.com", PASSWORD);
    }

    ConsoleClient signedIn(Owner owner) {
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> signedIn = browser.signIn(owner.email(), PASSWORD);
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        assertEquals("/console/chatbots", signedIn.headers().firstValue("Location").orElse(null));
        return browser;
    }

    private static void assertContains(HttpResponse<String> response, String text) {
        assertTrue(response.body().contains(text), "'" + text + "' in " + response.uri() + ": " + response.body());
    }

    private static List<Long> leadIds(HttpResponse<String> page) {
        List<Long> ids = new ArrayList<>();
        Matcher row = LEAD_ROW.matcher(page.body());
        while (row.find()) {
            ids.add(Long.parseLong(row.group(1)));
        }
        return ids;
    }

    /**
     * Every pooled connection held: a signed-in page is the console's own 503 page with Retry-After,
     * not a 500, and the console works again once they are free.
     */
    @Test
    void aPageWhileTheDatabaseIsUnavailableIsA503Page() throws Exception {
        // A pool of two, both held below, and a short wait for one.
        try (TestServer starved = TestServer.start(database, Map.of("CHATLEADS_DB_POOL_SIZE", "2",
                "CHATLEADS_DB_CONNECTION_TIMEOUT_MS", "500", "CHATLEADS_CACHE_TTL_MS", "0"))) {
            Owner owner = owner();
            ConsoleClient browser = new ConsoleClient(starved);
            assertEquals(303, browser.signIn(owner.email(), PASSWORD).statusCode());
            try (java.sql.Connection held = starved.pooledConnection(); java.sql.Connection alsoHeld = starved.pooledConnection()) {
                HttpResponse<String> page = browser.get("/console/chatbots");
                assertEquals(503, page.statusCode(), page.body());
                assertEquals("2", page.headers().firstValue("Retry-After").orElse(null));
                assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().map().toString());
                assertContains(page, "The database cannot be reached just now");
            }
            assertEquals(200, browser.get("/console/chatbots").statusCode());
        }
    }

    @Test
    void signInSetsAnOpaqueHttpOnlyLaxCookieAndEveryPageCarriesTheSecurityHeaders() {
        Owner owner = owner();
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> form = browser.get("/console/sign-in");
        assertEquals(200, form.statusCode());
        String csp = form.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("same-origin", form.headers().firstValue("Referrer-Policy").orElse(null));
        assertFalse(form.body().contains("<script>"), "no inline script: " + form.body());

        HttpResponse<String> signedIn = browser.post("/console/sign-in", "email", owner.email().toUpperCase(), "password", PASSWORD);
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        String setCookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("chatleads_session=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HTTPOnly") || setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertFalse(setCookie.contains("Secure"), "not Secure without an https CHATLEADS_PUBLIC_URL: " + setCookie);
        String id = browser.cookie("chatleads_session");
        assertEquals(32, id.length(), id);
        assertFalse(id.contains(owner.id()), "opaque");
        int stored = app().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM console_sessions WHERE id_hash = :id").bind("id", id).mapTo(Integer.class).one());
        assertEquals(0, stored, "only a hash of the id is stored");

        HttpResponse<String> chatbots = browser.get("/console/chatbots");
        assertEquals(200, chatbots.statusCode());
        assertContains(chatbots, owner.email());
        assertEquals("DENY", chatbots.headers().firstValue("X-Frame-Options").orElse(null));
        assertFalse(chatbots.body().contains(PASSWORD));
    }

    @Test
    void theSessionCookieIsSecureWhenThePublicUrlIsHttps() {
        Owner owner = owner();
        try (TestServer https = TestServer.start(database, Map.of("CHATLEADS_PUBLIC_URL", "https://leads.example.com"))) {
            ConsoleClient browser = new ConsoleClient(https);
            HttpResponse<String> form = browser.get("/console/sign-in");
            assertTrue(form.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("chatleads_form=") && c.contains("Secure")),
                    form.headers().map().toString());
            // Over this test's plain http a client keeps Secure cookies to itself: sent by hand, as the proxy's https would.
            HttpResponse<String> signedIn = postFrom(https, "/console/sign-in", browser.token(), "https://leads.example.com", null,
                    "email", owner.email(), "password", PASSWORD);
            assertEquals(303, signedIn.statusCode(), signedIn.body());
            String setCookie = signedIn.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("chatleads_session=")).findFirst().orElseThrow();
            assertTrue(setCookie.contains("Secure"), setCookie);
            assertEquals(403, postFrom(https, "/console/sign-in", browser.token(), "http://127.0.0.1:" + https.port(), null,
                    "email", owner.email(), "password", PASSWORD).statusCode(), "the origin is the public URL's");
        }
    }

    /** A sign-in form post with the form cookie and token, an Origin and an X-Forwarded-For (either may be null), by hand. */
    private static HttpResponse<String> postFrom(TestServer target, String path, String formToken, String origin,
                                                 String forwardedFor, String... fields) {
        StringBuilder body = new StringBuilder("csrf=" + formToken);
        for (int i = 0; i < fields.length; i += 2) {
            body.append('&').append(fields[i]).append('=').append(java.net.URLEncoder.encode(fields[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(target.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "chatleads_form=" + formToken)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return target.send(request.build());
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswerAndKeepTheEmailTyped() {
        Owner owner = owner();
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> wrong = browser.signIn(owner.email(), "not the password");
        String unknownEmail = "nobody-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> unknown = browser.signIn(unknownEmail, "not the password");
        assertEquals(401, wrong.statusCode());
        assertEquals(401, unknown.statusCode());
        assertEquals(wrong.body().replace(owner.email(), "EMAIL"), unknown.body().replace(unknownEmail, "EMAIL"),
                "the same page, but for the email kept in its field");
        assertContains(wrong, Accounts.WRONG_EMAIL_OR_PASSWORD);
        assertContains(wrong, "value=\"" + owner.email() + "\"");
        assertFalse(wrong.body().contains("not the password"), "a password is never echoed");
        assertNull(browser.cookie("chatleads_session"));
        assertEquals(303, browser.get("/console/chatbots").statusCode(), "still signed out");
    }

    @Test
    void aRunOfFailuresLocksTheAccountAndSaysSoKnownOrNot() {
        Owner owner = owner();
        String unknownEmail = "ghost-" + UUID.randomUUID() + "@example.com";
        ConsoleClient browser = new ConsoleClient(server);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, browser.signIn(owner.email(), "wrong " + i).statusCode());
            assertEquals(401, browser.signIn(unknownEmail, "wrong " + i).statusCode());
        }
        HttpResponse<String> locked = browser.signIn(owner.email(), PASSWORD);
        assertEquals(429, locked.statusCode(), "even the right password, while locked");
        assertContains(locked, "locked until");
        HttpResponse<String> lockedUnknown = browser.signIn(unknownEmail, PASSWORD);
        assertEquals(429, lockedUnknown.statusCode());
        assertEquals(locked.body().replace(owner.email(), "EMAIL"), lockedUnknown.body().replace(unknownEmail, "EMAIL"),
                "a lock says nothing about whether the account exists");
        assertNull(browser.cookie("chatleads_session"));
        // Another account is not locked by this one's failures.
        assertEquals(303, new ConsoleClient(server).signIn(owner().email(), PASSWORD).statusCode());
    }

    @Test
    void failuresFromOneIpv6NetworkPauseItsSignInsAndNotTheNextNetworks() {
        Owner owner = owner();
        try (TestServer proxied = TestServer.start(database, Map.of("CHATLEADS_TRUST_X_FORWARDED_FOR", "true"))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(401, signInFrom(proxied, "2001:db8:1:2::" + Integer.toHexString(i + 1),
                        "spray-" + i + "-" + UUID.randomUUID() + "@example.com", "guess").statusCode());
            }
            HttpResponse<String> sameNetwork = signInFrom(proxied, "2001:db8:1:2:ffff::9", owner.email(), PASSWORD);
            assertEquals(429, sameNetwork.statusCode(), sameNetwork.body());
            assertContains(sameNetwork, "from your network");
            assertEquals(303, signInFrom(proxied, "2001:db8:1:3::1", owner.email(), PASSWORD).statusCode(),
                    "the neighbouring /64 is another customer");
        }
    }

    private static HttpResponse<String> signInFrom(TestServer target, String address, String email, String password) {
        ConsoleClient browser = new ConsoleClient(target);
        browser.get("/console/sign-in");
        return postFrom(target, "/console/sign-in", browser.token(), null, address, "email", email, "password", password);
    }

    @Test
    void aForgedPostIsRefusedWithoutTheTokenWithAWrongOneAndFromAnotherOrigin() {
        Owner owner = owner();
        ConsoleClient browser = signedIn(owner);
        browser.get("/console/chatbots");
        String token = browser.token();
        Map<String, String> noToken = Map.of("name", "forged");
        assertEquals(403, browser.post("/console/chatbots", noToken, browser.origin()).statusCode());
        assertEquals(403, browser.post("/console/chatbots", Map.of("name", "forged", "csrf", "x".repeat(32)), browser.origin()).statusCode());
        HttpResponse<String> crossSite = browser.post("/console/chatbots", Map.of("name", "forged", "csrf", token),
                "https://evil.example.com");
        assertEquals(403, crossSite.statusCode());
        assertContains(crossSite, "another site");
        // Another owner's session token does not work either.
        ConsoleClient other = signedIn(owner());
        other.get("/console/chatbots");
        assertEquals(403, browser.post("/console/chatbots", Map.of("name", "forged", "csrf", other.token()), browser.origin()).statusCode());
        assertTrue(app().chatbotSettings().listByOwner(owner.id()).isEmpty(), "nothing was created");
        // The sign-in form too: without its form token, a login CSRF is refused.
        ConsoleClient fresh = new ConsoleClient(server);
        assertEquals(403, fresh.post("/console/sign-in", Map.of("email", owner.email(), "password", PASSWORD), fresh.origin()).statusCode());
        // Without an Origin header the token alone decides.
        assertEquals(303, browser.post("/console/chatbots", Map.of("name", "kept", "csrf", token), null).statusCode());
    }

    @Test
    void pagesNeedASessionAndSendTheOwnerBackAfterSignIn() {
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> keys = browser.get("/console/keys");
        assertEquals(303, keys.statusCode());
        assertEquals("/console/sign-in?next=%2Fconsole%2Fkeys", keys.headers().firstValue("Location").orElse(null));
        Owner owner = owner();
        browser.get("/console/sign-in?next=%2Fconsole%2Fkeys");
        HttpResponse<String> signedIn = browser.post("/console/sign-in", "email", owner.email(), "password", PASSWORD, "next", "/console/keys");
        assertEquals("/console/keys", signedIn.headers().firstValue("Location").orElse(null));
        HttpResponse<String> offsite = new ConsoleClient(server).signIn(owner.email(), PASSWORD);
        assertEquals("/console/chatbots", offsite.headers().firstValue("Location").orElse(null));
        assertEquals("/console/chatbots", SignInPages.safeNext("//evil.example.com/console/x"));
        assertEquals("/console/chatbots", SignInPages.safeNext("https://evil.example.com"));
    }

    @Test
    void chatbotsAreCreatedRenamedAndDeletedOnlyWhenTheNameIsTyped() {
        Owner owner = owner();
        ConsoleClient browser = signedIn(owner);
        browser.get("/console/chatbots");
        HttpResponse<String> tooLong = browser.post("/console/chatbots", "name", "x".repeat(201));
        assertEquals(400, tooLong.statusCode());
        assertContains(tooLong, "name must be 1 to 200 characters");
        assertContains(tooLong, "value=\"" + "x".repeat(201) + "\"");
        HttpResponse<String> created = browser.post("/console/chatbots", "name", "  Support  ");
        assertEquals(303, created.statusCode(), created.body());
        String page = created.headers().firstValue("Location").orElseThrow();
        String id = page.replaceAll("^/console/chatbots/([^?]+).*$", "$1");
        Chatbot chatbot = app().chatbots().findOwned(id, owner.id()).orElseThrow();
        assertEquals("Support", chatbot.name(), "stripped as the API strips it");
        app().leads().create(new NewLead(id, owner.id(), "Ada", "ada@example.com", null, null, Instant.now()));
        HttpResponse<String> list = browser.get("/console/chatbots");
        assertContains(list, ">Support</a>");
        assertTrue(list.body().replaceAll("\\s+", " ").contains("<td data-label=\"Leads\" class=\"num\">1</td> <td data-label=\"Last 7 days\" class=\"num\">1</td>"),
                list.body());

        browser.get("/console/chatbots/" + id);
        assertEquals(303, browser.post("/console/chatbots/" + id + "/rename", "name", "Sales").statusCode());
        assertEquals("Sales", app().chatbots().find(id).orElseThrow().name());
        HttpResponse<String> notConfirmed = browser.post("/console/chatbots/" + id + "/delete", "confirmName", "sales");
        assertEquals(400, notConfirmed.statusCode());
        assertContains(notConfirmed, "Type the chatbot's name exactly");
        assertContains(notConfirmed, "value=\"sales\"");
        assertTrue(app().chatbots().find(id).isPresent());
        assertEquals(303, browser.post("/console/chatbots/" + id + "/delete", "confirmName", "Sales").statusCode());
        assertTrue(app().chatbots().find(id).isEmpty());
    }

    @Test
    void anotherOwnersThingsAnswerExactlyLikeMissingOnes() throws Exception {
        Owner mine = owner();
        Owner theirs = owner();
        Chatbot their = app().chatbots().create(theirs.id(), "Theirs");
        Lead theirLead = app().leads().create(new NewLead(their.id(), theirs.id(), "T", "t@example.com", null, null, Instant.now()));
        String theirKey = app().apiKeys().create(theirs.id(), "theirs").key().id();
        String theirWebhook;
        try (Receiver receiver = Receiver.ok()) {
            theirWebhook = app().webhooks().create(theirs.id(), null, receiver.url("/hook"), List.of("leads.submit")).webhook().id();
        }
        ConsoleClient browser = signedIn(mine);
        Chatbot own = app().chatbots().create(mine.id(), "Mine");
        HttpResponse<String> missing = browser.get("/console/chatbots/does-not-exist");
        assertEquals(404, missing.statusCode());
        for (String path : List.of("/console/chatbots/" + their.id(), "/console/chatbots/" + their.id() + "/leads",
                "/console/chatbots/" + their.id() + "/chart", "/console/chatbots/" + their.id() + "/settings",
                "/console/chatbots/" + their.id() + "/leads.csv",
                "/console/chatbots/" + their.id() + "/leads/" + theirLead.id() + "/erase",
                "/console/chatbots/" + own.id() + "/leads/" + theirLead.id() + "/erase",
                "/console/webhooks/" + theirWebhook)) {
            HttpResponse<String> answer = browser.get(path);
            assertEquals(404, answer.statusCode(), path);
            assertEquals(missing.body(), answer.body(), "the same page as a missing one: " + path);
        }
        browser.get("/console/chatbots");
        for (String path : List.of("/console/chatbots/" + their.id() + "/rename", "/console/chatbots/" + their.id() + "/delete",
                "/console/chatbots/" + their.id() + "/settings", "/console/keys/" + theirKey + "/revoke",
                "/console/chatbots/" + own.id() + "/leads/" + theirLead.id() + "/erase",
                "/console/webhooks/" + theirWebhook + "/delete", "/console/webhooks/" + theirWebhook + "/test",
                "/console/webhooks/" + theirWebhook + "/rotate-secret", "/console/chatbots/" + their.id() + "/widget")) {
            HttpResponse<String> answer = browser.post(path, "name", "mine now", "confirmName", "Theirs");
            assertEquals(404, answer.statusCode(), path);
            assertEquals(missing.body(), answer.body(), path);
        }
        assertEquals("Theirs", app().chatbots().find(their.id()).orElseThrow().name());
        assertTrue(app().leads().find(theirLead.id()).isPresent());
        assertFalse(app().apiKeys().find(theirKey).orElseThrow().revoked());
        HttpResponse<String> shape = browser.post("/console/keys/" + theirKey + "/response-shape", "responseEnvelope", "data");
        assertEquals(404, shape.statusCode());
        assertEquals(missing.body(), shape.body());
        assertNull(app().apiKeys().find(theirKey).orElseThrow().responseEnvelope(), "their key keeps the server's shape");
        assertTrue(app().webhooks().find(theirWebhook).isPresent());
        assertEquals(io.chatleads.widget.WidgetSettings.defaults(), app().widgetSettings().find(their.id()));
        assertEquals(404, browser.get("/console/no-such-page").statusCode());
    }

    /** 120 leads an hour apart from 2024-03-01T00:00Z, every third with a phone; owner in UTC unless the test changes it. */
    private Chatbot chatbotWithLeads(Owner owner, int count) {
        Chatbot chatbot = app().chatbots().create(owner.id(), "Leads " + UUID.randomUUID());
        Instant start = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            app().leads().create(new NewLead(chatbot.id(), owner.id(), i == 7 ? "Grace Hopper" : "Lead " + i,
                    "lead" + i + "@example.com", i % 3 == 0 ? "+1415555" + String.format("%04d", i) : null, null,
                    start.plusSeconds(3600L * i)));
        }
        return chatbot;
    }

    @Test
    void theLeadsTablePagesByKeysetThroughEveryLeadOnceNewestFirst() {
        Owner owner = owner();
        Chatbot chatbot = chatbotWithLeads(owner, 120);
        ConsoleClient browser = signedIn(owner);
        List<Long> seen = new ArrayList<>();
        String next = "/console/chatbots/" + chatbot.id() + "/leads";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = browser.get(next.replace("&amp;", "&"));
            assertEquals(200, page.statusCode(), page.body());
            seen.addAll(leadIds(page));
            Matcher older = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"").matcher(page.body());
            next = older.find() ? older.group(1) : null;
            assertTrue(next == null || next.contains("cursor="), next);
            pages++;
        }
        assertEquals(3, pages, "50 + 50 + 20");
        assertEquals(120, seen.size());
        assertEquals(120, new HashSet<>(seen).size(), "each lead once");
        List<Long> sorted = new ArrayList<>(seen);
        sorted.sort((a, b) -> Long.compare(b, a));
        assertEquals(sorted, seen, "newest first");
        HttpResponse<String> first = browser.get("/console/chatbots/" + chatbot.id() + "/leads");
        assertContains(first, "title=\"2024-03-05 23:00:00 UTC\">2024-03-05 23:00</time>");
    }

    @Test
    void theSearchMatchesNameEmailOrPhoneAndTheDateRangeIsCutInTheOwnersZone() {
        Owner owner = owner();
        Chatbot chatbot = chatbotWithLeads(owner, 120);
        ConsoleClient browser = signedIn(owner);
        String leads = "/console/chatbots/" + chatbot.id() + "/leads";
        assertEquals(1, leadIds(browser.get(leads + "?search=grace")).size(), "by name, any case");
        assertEquals(1, leadIds(browser.get(leads + "?search=LEAD42%40example")).size(), "by email");
        assertEquals(1, leadIds(browser.get(leads + "?search=555-0042")).size(), "by phone, written with a dash");
        assertEquals(0, leadIds(browser.get(leads + "?search=%25")).size(), "a % is a percent sign, not a wildcard");
        // Lead 12 was at 2024-03-01T12:00Z ... 2024-03-01 (UTC) holds leads 0 to 23.
        assertEquals(24, leadIds(browser.get(leads + "?startDate=2024-03-01&endDate=2024-03-01")).size());
        accounts().owners().setTimeZone(owner.id(), "America/New_York");
        ConsoleClient inNewYork = signedIn(owner);
        // 2024-03-01 in New York (UTC-5) is 05:00Z to the next 05:00Z: leads 5 to 28.
        List<Long> day = leadIds(inNewYork.get(leads + "?startDate=2024-03-01&endDate=2024-03-01"));
        assertEquals(24, day.size());
        HttpResponse<String> shown = inNewYork.get(leads + "?startDate=2024-03-01&endDate=2024-03-01&search=lead5%40");
        assertContains(shown, "title=\"2024-03-01 05:00:00 UTC\">2024-03-01 00:00</time>");
        HttpResponse<String> bad = browser.get(leads + "?startDate=2024-3-1&search=kept");
        assertEquals(400, bad.statusCode());
        assertContains(bad, "startDate must be a date in YYYY-MM-DD format, got '2024-3-1'");
        assertContains(bad, "value=\"kept\"");
    }

    /** On PostgreSQL with pg_trgm (contrib, as on this machine's server), V14 makes the search's trigram index. */
    @Test
    void onPostgresTheSearchHasItsTrigramIndex() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind() == io.chatleads.support.TestDatabase.Kind.POSTGRES);
        String definition = app().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'leads_search_trgm'").mapTo(String.class).findOne().orElse(""));
        assertTrue(definition.contains("gin_trgm_ops") && definition.contains("lower("), definition);
    }

    @Test
    void theCsvDownloadHoldsTheFilteredRange() {
        Owner owner = owner();
        Chatbot chatbot = chatbotWithLeads(owner, 60);
        ConsoleClient browser = signedIn(owner);
        HttpResponse<String> csv = browser.get("/console/chatbots/" + chatbot.id() + "/leads.csv?startDate=2024-03-02&endDate=2024-03-02");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        List<String> lines = csv.body().lines().toList();
        assertEquals("id,created_at,chatbot_owner_user_id,chatbot_id,phone,email,name", lines.get(0));
        assertEquals(25, lines.size(), "the header and the 24 leads of 2024-03-02");
        assertTrue(lines.get(1).contains("lead47@example.com") && lines.get(24).contains("lead24@example.com"), csv.body());
    }

    @Test
    void aLeadIsErasedAfterItsConfirmationPage() {
        Owner owner = owner();
        Chatbot chatbot = chatbotWithLeads(owner, 3);
        ConsoleClient browser = signedIn(owner);
        long id = leadIds(browser.get("/console/chatbots/" + chatbot.id() + "/leads")).get(0);
        String erase = "/console/chatbots/" + chatbot.id() + "/leads/" + id + "/erase";
        HttpResponse<String> confirm = browser.get(erase);
        assertEquals(200, confirm.statusCode());
        assertContains(confirm, "lead2@example.com");
        assertTrue(app().leads().find(id).isPresent(), "asking is not erasing");
        HttpResponse<String> erased = browser.post(erase);
        assertEquals(303, erased.statusCode());
        assertTrue(app().leads().find(id).isEmpty());
        assertContains(browser.get(erased.headers().firstValue("Location").orElseThrow()), "Lead erased.");
        assertEquals(404, browser.post(erase).statusCode(), "gone");
    }

    @Test
    void theChartHasEveryDayWithZerosCutInTheOwnersZoneAndTheApiAgrees() throws Exception {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Charted");
        // 2024-06-10T22:30Z is June 11 in Berlin (UTC+2); 21:59Z is still June 10.
        for (String at : List.of("2024-06-10T21:59:00Z", "2024-06-10T22:30:00Z", "2024-06-10T23:59:00Z", "2024-06-13T12:00:00Z")) {
            app().leads().create(new NewLead(chatbot.id(), owner.id(), null, "c" + at.hashCode() + "@example.com", null, null,
                    Instant.parse(at)));
        }
        accounts().owners().setTimeZone(owner.id(), "Europe/Berlin");
        ConsoleClient browser = signedIn(owner);
        HttpResponse<String> chart = browser.get("/console/chatbots/" + chatbot.id() + "/chart?startDate=2024-06-09&endDate=2024-06-13");
        assertEquals(200, chart.statusCode(), chart.body());
        assertContains(chart, "data-dates=\"2024-06-09,2024-06-10,2024-06-11,2024-06-12,2024-06-13\"");
        assertContains(chart, "data-counts=\"0,1,2,0,1\"");
        assertContains(chart, "<strong id=\"range-total\">4</strong>");
        assertContains(chart, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertEquals(200, server.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).statusCode(), "uPlot comes from the jar");

        String key = app().apiKeys().create(owner.id(), "stats").secret();
        HttpResponse<String> api = server.get("/api/v1/chatbots/" + chatbot.id()
                + "/lead-stats?startDate=2024-06-09&endDate=2024-06-13&timeZone=Europe/Berlin", key);
        assertEquals(200, api.statusCode(), api.body());
        List<Long> counts = new ArrayList<>();
        responseJson(api).path("days").forEach(d -> counts.add(d.path("count").asLong()));
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L), counts);
        assertEquals(4, responseJson(api).path("total").asInt());
        HttpResponse<String> utc = server.get("/api/v1/chatbots/" + chatbot.id() + "/lead-stats?startDate=2024-06-09&endDate=2024-06-13", key);
        List<Long> utcCounts = new ArrayList<>();
        responseJson(utc).path("days").forEach(d -> utcCounts.add(d.path("count").asLong()));
        assertEquals(List.of(0L, 3L, 0L, 0L, 1L), utcCounts, "in UTC all three are on June 10");
        HttpResponse<String> defaults = browser.get("/console/chatbots/" + chatbot.id() + "/chart");
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
        assertContains(defaults, "value=\"" + today.minusDays(29) + "\"");
        assertContains(defaults, "value=\"" + today + "\"");
    }

    @Test
    void captureSettingsUseTheApisRulesAndKeepWhatWasTyped() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Capture");
        ConsoleClient browser = signedIn(owner);
        String settings = "/console/chatbots/" + chatbot.id() + "/settings";
        browser.get(settings);
        HttpResponse<String> refused = browser.post(settings, "allowedOrigins", "https://shop.example.com/path", "defaultRegion", "XX");
        assertEquals(400, refused.statusCode());
        assertContains(refused, "allowed origin must look like https://example.com");
        assertContains(refused, "defaultRegion must be a two-letter country code");
        assertContains(refused, ">https://shop.example.com/path</textarea>");
        assertTrue(app().chatbotSettings().find(chatbot.id()).orElseThrow().captureEnabled(), "nothing saved");
        HttpResponse<String> saved = browser.post(settings, "allowedOrigins", "https://Shop.Example.com\nhttps://b.example.com", "defaultRegion", "de");
        assertEquals(303, saved.statusCode(), saved.body());
        var now = app().chatbotSettings().find(chatbot.id()).orElseThrow();
        assertFalse(now.captureEnabled(), "the unticked box turns capture off");
        assertEquals(List.of("https://b.example.com", "https://shop.example.com"), now.allowedOrigins(), "normalised, in order");
        assertEquals("DE", now.defaultRegion());
    }

    @Test
    void theWidgetFormUsesTheSettingsRulesKeepsWhatWasTypedAndNeedsTheToken() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Widget");
        ConsoleClient browser = signedIn(owner);
        String page = "/console/chatbots/" + chatbot.id();
        HttpResponse<String> shown = browser.get(page);
        assertContains(shown, "placeholder=\"Thank you! We will be in touch soon.\"");
        assertContains(shown, "data-preview");
        String form = page + "/widget";
        // What no browser's colour input sends, and a mode no select offers: said by the settings' rules.
        HttpResponse<String> refused = browser.post(form, "nameMode", "optional", "emailMode", "mandatory", "phoneMode", "hidden",
                "language", "de", "accentColor", "red", "text-title", "Hallo", "redirectUrl", "javascript:alert(1)");
        assertEquals(400, refused.statusCode());
        assertContains(refused, "Email field must be hidden, optional or required, got ");
        assertContains(refused, "Accent colour must be a colour written #rrggbb");
        assertContains(refused, "Thank-you page address must be an http or https URL");
        assertContains(refused, "value=\"Hallo\"");
        assertContains(refused, "placeholder=\"Vielen Dank! Wir melden uns in Kürze.\"");
        assertEquals(io.chatleads.widget.WidgetSettings.defaults(), app().widgetSettings().find(chatbot.id()), "nothing saved");

        Map<String, String> fields = Map.of("csrf", browser.token(), "nameMode", "required", "emailMode", "optional",
                "phoneMode", "optional", "language", "fr", "accentColor", "#AA0000", "text-title", "  Parlons  ",
                "text-intro", "   ", "redirectUrl", "https://shop.example.com/merci");
        assertEquals(403, browser.post(form, Map.of("nameMode", "required", "emailMode", "optional", "phoneMode", "optional",
                "language", "fr"), browser.origin()).statusCode(), "no token");
        assertEquals(403, browser.post(form, fields, "https://evil.example.com").statusCode(), "another site");
        assertEquals(io.chatleads.widget.WidgetSettings.defaults(), app().widgetSettings().find(chatbot.id()), "nothing saved");

        HttpResponse<String> saved = browser.post(form, fields, browser.origin());
        assertEquals(303, saved.statusCode(), saved.body());
        assertEquals(page + "?notice=widget-saved", saved.headers().firstValue("Location").orElse(null));
        var settings = app().widgetSettings().find(chatbot.id());
        assertEquals(io.chatleads.widget.FieldMode.REQUIRED, settings.name());
        assertEquals("#aa0000", settings.accentColor());
        assertEquals("fr", settings.language());
        assertEquals(Map.of("title", "Parlons"), settings.texts(), "stripped; a blank text is the built-in one");
        assertEquals("https://shop.example.com/merci", settings.redirectUrl());
        assertContains(browser.get(page + "?notice=widget-saved"), "Widget settings saved");
    }

    @Test
    void aKeyIsShownOnceAndARevokedKeyGets401FromGetLeads() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Keyed");
        ConsoleClient browser = signedIn(owner);
        browser.get("/console/keys");
        HttpResponse<String> refused = browser.post("/console/keys", "name", "tab\there");
        assertEquals(400, refused.statusCode());
        assertContains(refused, "name must not contain control characters");
        HttpResponse<String> created = browser.post("/console/keys", "name", "crm");
        assertEquals(201, created.statusCode());
        Matcher secret = Pattern.compile("id=\"new-secret\" readonly value=\"(cl_[^\"]+)\"").matcher(created.body());
        assertTrue(secret.find(), created.body());
        assertContains(created, "data-copy=\"new-secret\"");
        assertEquals(200, server.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), secret.group(1)).statusCode());
        HttpResponse<String> list = browser.get("/console/keys");
        assertFalse(list.body().contains(secret.group(1)), "never shown again");
        assertContains(list, secret.group(1).substring(0, 11));
        String keyId = app().apiKeys().listByOwner(owner.id()).get(0).id();
        assertEquals(303, browser.post("/console/keys/" + keyId + "/revoke").statusCode());
        assertEquals(401, server.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), secret.group(1)).statusCode());
        assertContains(browser.get("/console/keys"), "Revoked ");
    }

    @Test
    void aKeyAnswersGetLeadsInTheShapeChosenForItHere() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Shaped");
        app().leads().create(new NewLead(chatbot.id(), owner.id(), "Ada", "ada@example.com", null, null, Instant.now()));
        ConsoleClient browser = signedIn(owner);
        assertContains(browser.get("/console/keys"), "<option value=\"collectedCustomersArray\"");
        HttpResponse<String> refused = browser.post("/console/keys", "name", "odd", "responseEnvelope", "xml");
        assertEquals(400, refused.statusCode());
        assertContains(refused, "responseEnvelope must be 'data', 'collectedCustomers' or 'collectedCustomersArray'");
        assertContains(refused, "value=\"odd\"");
        assertTrue(app().apiKeys().listByOwner(owner.id()).isEmpty(), "nothing created");

        HttpResponse<String> created = browser.post("/console/keys", "name", "generated client", "responseEnvelope", "collectedCustomersArray");
        assertEquals(201, created.statusCode(), created.body());
        Matcher secret = Pattern.compile("id=\"new-secret\" readonly value=\"(cl_[^\"]+)\"").matcher(created.body());
        assertTrue(secret.find(), created.body());
        String page = "/api/v1/get-leads?chatbotId=" + chatbot.id();
        JsonNode array = responseJson(server.get(page, secret.group(1)));
        assertTrue(array.path("collectedCustomers").isArray(), array.toString());
        assertEquals(owner.id(), array.path("collectedCustomers").get(0).path("account_id").asText());

        String keyId = app().apiKeys().listByOwner(owner.id()).get(0).id();
        assertContains(browser.get("/console/keys"), "value=\"collectedCustomersArray\" selected");
        HttpResponse<String> changed = browser.post("/console/keys/" + keyId + "/response-shape", "responseEnvelope", "data");
        assertEquals(303, changed.statusCode());
        assertEquals("/console/keys?notice=key-shape", changed.headers().firstValue("Location").orElse(null));
        assertTrue(responseJson(server.get(page, secret.group(1))).path("data").isArray(), "at once on this server");

        assertEquals(400, browser.post("/console/keys/" + keyId + "/response-shape", "responseEnvelope", "Data").statusCode());
        assertEquals("data", app().apiKeys().find(keyId).orElseThrow().responseEnvelope().value(), "unchanged by a wrong one");
        assertEquals(303, browser.post("/console/keys/" + keyId + "/response-shape", "responseEnvelope", "").statusCode());
        assertNull(app().apiKeys().find(keyId).orElseThrow().responseEnvelope(), "back to the server's default");
    }

    @Test
    void aWebhookIsAddedWithItsSecretShownOnceAndATestEventIsDeliveredMarkedAsATest() throws Exception {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Hooked");
        ConsoleClient browser = signedIn(owner);
        try (Receiver receiver = Receiver.ok()) {
            browser.get("/console/webhooks");
            HttpResponse<String> refused = browser.post("/console/webhooks", "endpoint", "ftp://example.com/x", "chatbotId", chatbot.id());
            assertEquals(400, refused.statusCode());
            assertContains(refused, "value=\"ftp://example.com/x\"");
            assertContains(refused, "field-error");
            HttpResponse<String> added = browser.post("/console/webhooks", "endpoint", receiver.url("/hook"), "chatbotId", chatbot.id());
            assertEquals(201, added.statusCode(), added.body());
            assertContains(added, "value=\"whsec_");
            String webhookId = app().webhooks().listByOwner(owner.id()).get(0).id();
            assertFalse(browser.get("/console/webhooks").body().contains("whsec_"), "the secret only once");

            browser.get("/console/webhooks/" + webhookId);
            assertEquals(303, browser.post("/console/webhooks/" + webhookId + "/test").statusCode());
            Receiver.Received event = receiver.awaitRequests(1).get(0);
            assertEquals("true", event.header("x-chatleads-test"));
            assertTrue(event.body().contains("\"customerEmail\":\"test.lead@example.com\""), event.body());
            Receiver.await("the attempt to be recorded", () -> browser.get("/console/webhooks/" + webhookId).body()
                    .contains("data-status=\"succeeded\""));
            HttpResponse<String> page = browser.get("/console/webhooks/" + webhookId);
            assertContains(page, "badge test");
            assertContains(page, "HTTP 200");

            // A real lead makes a real delivery, without the test header; and a retry sends it again.
            app().leads().create(new NewLead(chatbot.id(), owner.id(), "Real", "real@example.com", null, null, Instant.now()));
            Receiver.Received real = receiver.awaitRequests(2).get(1);
            assertNull(real.header("x-chatleads-test"));
            String deliveryId = real.header("webhook-id");
            Receiver.await("the real attempt to be recorded", () -> browser.get("/console/webhooks/" + webhookId).body()
                    .contains("data-delivery-id=\"" + deliveryId + "\" data-status=\"succeeded\""));
            browser.get("/console/webhooks/" + webhookId);
            assertEquals(303, browser.post("/console/webhooks/" + webhookId + "/deliveries/" + deliveryId + "/retry").statusCode());
            assertEquals(deliveryId, receiver.awaitRequests(3).get(2).header("webhook-id"));
            assertEquals(303, browser.post("/console/webhooks/" + webhookId + "/delete").statusCode());
            assertTrue(app().webhooks().find(webhookId).isEmpty());
        }
    }

    @Test
    void changingThePasswordEndsTheOtherSessionsAndKeepsThisOne() {
        Owner owner = owner();
        ConsoleClient here = signedIn(owner);
        ConsoleClient elsewhere = signedIn(owner);
        here.get("/console/account");
        HttpResponse<String> wrong = here.post("/console/account/password", "currentPassword", "not it", "newPassword", "a new long password");
        assertEquals(400, wrong.statusCode());
        assertContains(wrong, "currentPassword is not your current password");
        HttpResponse<String> tooShort = here.post("/console/account/password", "currentPassword", PASSWORD, "newPassword", "short");
        assertEquals(400, tooShort.statusCode());
        assertContains(tooShort, "newPassword must be at least 10 characters");
        assertEquals(303, here.post("/console/account/password", "currentPassword", PASSWORD, "newPassword", "a new long password").statusCode());
        assertEquals(200, here.get("/console/chatbots").statusCode(), "this session goes on");
        assertEquals(303, elsewhere.get("/console/chatbots").statusCode(), "the other one is signed out");
        assertEquals(401, new ConsoleClient(server).signIn(owner.email(), PASSWORD).statusCode());
        assertEquals(303, new ConsoleClient(server).signIn(owner.email(), "a new long password").statusCode());
    }

    @Test
    void signOutEndsThisSessionAndSignOutEverywhereEndsAll() {
        Owner owner = owner();
        ConsoleClient one = signedIn(owner);
        ConsoleClient two = signedIn(owner);
        ConsoleClient three = signedIn(owner);
        one.get("/console/chatbots");
        assertEquals(303, one.post("/console/sign-out").statusCode());
        assertEquals(303, one.get("/console/chatbots").statusCode());
        assertEquals(200, two.get("/console/chatbots").statusCode());
        two.get("/console/account");
        assertEquals(303, two.post("/console/account/sign-out-everywhere").statusCode());
        assertEquals(303, two.get("/console/chatbots").statusCode());
        assertEquals(303, three.get("/console/chatbots").statusCode());
    }

    @Test
    void theTimeZoneIsCheckedAndUsed() {
        Owner owner = owner();
        ConsoleClient browser = signedIn(owner);
        browser.get("/console/account");
        HttpResponse<String> refused = browser.post("/console/account/time-zone", "timeZone", "+02:00");
        assertEquals(400, refused.statusCode());
        assertContains(refused, "timeZone must be an IANA time zone");
        assertEquals(303, browser.post("/console/account/time-zone", "timeZone", "Asia/Kolkata").statusCode());
        assertEquals("Asia/Kolkata", accounts().owners().find(owner.id()).orElseThrow().timeZone());
        assertContains(browser.get("/console/account"), "<option value=\"Asia/Kolkata\" selected>");
    }

    @Test
    void aSessionWorksOnEveryServerOfTheDatabase() {
        Owner owner = owner();
        ConsoleClient browser = signedIn(owner);
        try (TestServer second = TestServer.start(database)) {
            ConsoleClient there = browser.sameSessionOn(second);
            HttpResponse<String> page = there.get("/console/chatbots");
            assertEquals(200, page.statusCode());
            assertContains(page, owner.email());
        }
    }

    @Test
    void anInvitationSetsThePasswordOnceWithin24Hours() {
        Accounts accounts = accounts();
        Owner owner = accounts.createOwner("invited-" + UUID.randomUUID() + "@example.com", null);
        assertEquals(401, new ConsoleClient(server).signIn(owner.email(), PASSWORD).statusCode(), "no password yet");
        String token = accounts.invite(owner.id());
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> form = browser.get("/console/invite/" + token);
        assertEquals(200, form.statusCode());
        assertContains(form, owner.email());
        HttpResponse<String> tooShort = browser.post("/console/invite/" + token, "password", "short");
        assertEquals(400, tooShort.statusCode());
        assertContains(tooShort, "password must be at least 10 characters");
        HttpResponse<String> accepted = browser.post("/console/invite/" + token, "password", PASSWORD);
        assertEquals(303, accepted.statusCode(), accepted.body());
        assertEquals(200, browser.get("/console/chatbots").statusCode(), "signed in");
        assertEquals(404, new ConsoleClient(server).get("/console/invite/" + token).statusCode(), "used once");
        assertEquals(404, new ConsoleClient(server).get("/console/invite/" + "x".repeat(32)).statusCode());
        assertEquals(303, new ConsoleClient(server).signIn(owner.email(), PASSWORD).statusCode());
        app().database().jdbi().useHandle(h -> h.createUpdate("UPDATE owner_invites SET expires_at = 0").execute());
        String expired = accounts.invite(owner.id());
        app().database().jdbi().useHandle(h -> h.createUpdate("UPDATE owner_invites SET expires_at = 1").execute());
        assertEquals(404, new ConsoleClient(server).get("/console/invite/" + expired).statusCode(), "past its 24 hours");
    }

    @Test
    void signUpIsOffUnlessTheOperatorTurnsItOn() {
        assertEquals(404, new ConsoleClient(server).get("/console/sign-up").statusCode());
        assertFalse(new ConsoleClient(server).get("/console/sign-in").body().contains("/console/sign-up"));
        try (TestServer open = TestServer.start(database, Map.of("CHATLEADS_CONSOLE_SIGN_UP", "true"))) {
            ConsoleClient browser = new ConsoleClient(open);
            assertTrue(browser.get("/console/sign-in").body().contains("/console/sign-up"));
            browser.get("/console/sign-up");
            String email = "self-" + UUID.randomUUID() + "@example.com";
            HttpResponse<String> refused = browser.post("/console/sign-up", "email", "not-an-email", "password", PASSWORD);
            assertEquals(400, refused.statusCode());
            assertContains(refused, "value=\"not-an-email\"");
            assertEquals(303, browser.post("/console/sign-up", "email", email, "password", PASSWORD).statusCode());
            assertEquals(200, browser.get("/console/chatbots").statusCode());
            ConsoleClient again = new ConsoleClient(open);
            again.get("/console/sign-up");
            HttpResponse<String> taken = again.post("/console/sign-up", "email", email, "password", PASSWORD);
            assertEquals(400, taken.statusCode());
            assertContains(taken, "already exists");
        }
    }

    @Test
    void thePagesRenderForAFreshOwner() {
        ConsoleClient browser = signedIn(owner());
        for (String path : List.of("/console/chatbots", "/console/keys", "/console/webhooks", "/console/account")) {
            HttpResponse<String> page = browser.get(path);
            assertEquals(200, page.statusCode(), path);
            assertContains(page, "aria-current=\"page\"");
        }
        assertEquals(303, browser.get("/console").statusCode());
        HttpResponse<String> css = browser.get("/console/assets/console.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertEquals(404, browser.get("/console/assets/nope.js").statusCode());
        assertNotNull(browser.get("/console/assets/console.js").body());
        assertNotEquals(0, browser.get("/console/assets/console.js").body().length());
    }
}
