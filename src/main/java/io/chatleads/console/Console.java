package io.chatleads.console;

import io.chatleads.account.Accounts;
import io.chatleads.account.Session;
import io.chatleads.apikey.ApiKeyRepository;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.db.SqlErrors;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.error.Refused;
import io.chatleads.error.Unauthenticated;
import io.chatleads.error.Unavailable;
import io.chatleads.http.ApiException;
import io.chatleads.http.Routes;
import io.chatleads.lead.LeadRepository;
import io.chatleads.lead.LeadSearch;
import io.chatleads.lead.LeadStats;
import io.chatleads.webhook.WebhookRegistration;
import io.chatleads.webhook.WebhookRepository;
import io.chatleads.webhook.WebhookTestEvent;
import io.chatleads.widget.WidgetSettingsRepository;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The owner console at {@code /console} (docs/console.md): server-drawn pages over the same
 * repositories and rules as the API. Every page but the sign-in ones needs a session; every POST
 * passes the Origin and CSRF checks of {@link ConsoleSecurity} before its handler runs. Another
 * owner's chatbot, lead, key or webhook in a URL is answered with the very page a missing one gets.
 */
public final class Console {

    private static final Logger log = LoggerFactory.getLogger(Console.class);

    /** A page's work once the request has passed its checks. */
    @FunctionalInterface
    interface Page {
        void handle(ConsoleRequest request) throws Exception;
    }

    private enum Access { SIGNED_OUT, SIGNED_IN }

    private final Templates templates = new Templates();
    private final ConsoleSecurity security;
    private final Accounts accounts;
    private final SignInPages signIn;
    private final ChatbotPages chatbotPages;
    private final LeadPages leadPages;
    private final KeyPages keyPages;
    private final WebhookPages webhookPages;
    private final AccountPages accountPages;
    private final ConsoleAssets assets = new ConsoleAssets();

    /**
     * @param publicUrl          {@code CHATLEADS_PUBLIC_URL}, or null: the origin forms must come from, and
     *                           whether cookies are {@code Secure}
     * @param idleTimeoutSeconds how long the CSV download waits for a browser that takes no data
     * @param secretGraceMillis  how long a webhook's rotated-out signing secret goes on signing
     */
    public Console(Accounts accounts, ChatbotRepository chatbots, ChatbotSettingsRepository chatbotSettings,
                   WidgetSettingsRepository widgetSettings, LeadRepository leads, LeadSearch search, LeadStats stats,
                   ApiKeyRepository keys, WebhookRepository webhooks, WebhookRegistration registration,
                   WebhookTestEvent testEvents, Clock clock, String publicUrl, boolean trustForwardedFor,
                   int idleTimeoutSeconds, long secretGraceMillis) {
        this.security = new ConsoleSecurity(publicUrl);
        this.accounts = accounts;
        Owned owned = new Owned(chatbots, stats, clock);
        this.signIn = new SignInPages(accounts, security, trustForwardedFor);
        this.chatbotPages = new ChatbotPages(chatbots, chatbotSettings, widgetSettings, owned, stats, clock, security);
        this.leadPages = new LeadPages(owned, leads, search, stats, clock, idleTimeoutSeconds);
        this.keyPages = new KeyPages(keys, clock);
        this.webhookPages = new WebhookPages(webhooks, registration, testEvents, owned, chatbotSettings, secretGraceMillis);
        this.accountPages = new AccountPages(accounts, security);
    }

    public void register(Routes routes) {
        open(routes, HttpMethod.GET, "/console", signIn::home);
        open(routes, HttpMethod.GET, "/console/sign-in", signIn::form);
        open(routes, HttpMethod.POST, "/console/sign-in", signIn::submit);
        open(routes, HttpMethod.GET, "/console/sign-up", signIn::signUpForm);
        open(routes, HttpMethod.POST, "/console/sign-up", signIn::signUp);
        open(routes, HttpMethod.GET, "/console/invite/{token}", signIn::inviteForm);
        open(routes, HttpMethod.POST, "/console/invite/{token}", signIn::acceptInvite);
        routes.page(HttpMethod.GET, "/console/assets/{file}", assets::serve);
        signedIn(routes, HttpMethod.POST, "/console/sign-out", signIn::signOut);

        signedIn(routes, HttpMethod.GET, "/console/chatbots", chatbotPages::list);
        signedIn(routes, HttpMethod.POST, "/console/chatbots", chatbotPages::create);
        signedIn(routes, HttpMethod.GET, "/console/chatbots/{chatbotId}", chatbotPages::show);
        signedIn(routes, HttpMethod.POST, "/console/chatbots/{chatbotId}/rename", chatbotPages::rename);
        signedIn(routes, HttpMethod.POST, "/console/chatbots/{chatbotId}/delete", chatbotPages::delete);
        signedIn(routes, HttpMethod.POST, "/console/chatbots/{chatbotId}/widget", chatbotPages::saveWidgetSettings);
        signedIn(routes, HttpMethod.GET, "/console/chatbots/{chatbotId}/settings", chatbotPages::captureSettings);
        signedIn(routes, HttpMethod.POST, "/console/chatbots/{chatbotId}/settings", chatbotPages::saveCaptureSettings);
        signedIn(routes, HttpMethod.GET, "/console/chatbots/{chatbotId}/leads", leadPages::table);
        signedIn(routes, HttpMethod.GET, "/console/chatbots/{chatbotId}/leads.csv", leadPages::csv);
        signedIn(routes, HttpMethod.GET, "/console/chatbots/{chatbotId}/leads/{leadId}/erase", leadPages::confirmErase);
        signedIn(routes, HttpMethod.POST, "/console/chatbots/{chatbotId}/leads/{leadId}/erase", leadPages::erase);
        signedIn(routes, HttpMethod.GET, "/console/chatbots/{chatbotId}/chart", leadPages::chart);

        signedIn(routes, HttpMethod.GET, "/console/keys", keyPages::list);
        signedIn(routes, HttpMethod.POST, "/console/keys", keyPages::create);
        signedIn(routes, HttpMethod.POST, "/console/keys/{keyId}/revoke", keyPages::revoke);
        signedIn(routes, HttpMethod.POST, "/console/keys/{keyId}/response-shape", keyPages::setShape);

        signedIn(routes, HttpMethod.GET, "/console/webhooks", webhookPages::list);
        signedIn(routes, HttpMethod.POST, "/console/webhooks", webhookPages::create);
        signedIn(routes, HttpMethod.GET, "/console/webhooks/{webhookId}", webhookPages::show);
        signedIn(routes, HttpMethod.POST, "/console/webhooks/{webhookId}/delete", webhookPages::delete);
        signedIn(routes, HttpMethod.POST, "/console/webhooks/{webhookId}/test", webhookPages::sendTest);
        signedIn(routes, HttpMethod.POST, "/console/webhooks/{webhookId}/rotate-secret", webhookPages::rotateSecret);
        signedIn(routes, HttpMethod.POST, "/console/webhooks/{webhookId}/deliveries/{deliveryId}/retry", webhookPages::retry);

        signedIn(routes, HttpMethod.GET, "/console/account", accountPages::show);
        signedIn(routes, HttpMethod.POST, "/console/account/password", accountPages::changePassword);
        signedIn(routes, HttpMethod.POST, "/console/account/time-zone", accountPages::changeTimeZone);
        signedIn(routes, HttpMethod.POST, "/console/account/sign-out-everywhere", accountPages::signOutEverywhere);

        // Anything else under /console: the console's own 404 page, not the API's JSON.
        for (HttpMethod method : new HttpMethod[]{HttpMethod.GET, HttpMethod.POST}) {
            routes.page(method, "/console/*", ctx -> {
                ConsoleSecurity.headers(ctx.response());
                problem(new ConsoleRequest(ctx, null, templates), sessionOf(ctx).orElse(null), 404);
            });
        }
    }

    private void open(Routes routes, HttpMethod method, String path, Page page) {
        routes.page(method, path, ctx -> run(ctx, Access.SIGNED_OUT, page));
    }

    private void signedIn(Routes routes, HttpMethod method, String path, Page page) {
        routes.page(method, path, ctx -> run(ctx, Access.SIGNED_IN, page));
    }

    private Optional<Session> sessionOf(RoutingContext ctx) {
        return accounts.sessions().find(ConsoleSecurity.cookieValue(ctx, ConsoleSecurity.SESSION_COOKIE));
    }

    private void run(RoutingContext ctx, Access access, Page page) throws Exception {
        ConsoleSecurity.headers(ctx.response());
        boolean post = ctx.request().method() == HttpMethod.POST;
        Session session = null;
        if (access == Access.SIGNED_IN) {
            try {
                session = sessionOf(ctx).orElse(null);
            } catch (RuntimeException e) {
                if (!SqlErrors.isUnavailable(e)) {
                    throw e;
                }
                databaseUnavailable(new ConsoleRequest(ctx, null, templates), null);
                return;
            }
            if (session == null) {
                String back = post ? "" : "?next=" + URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8);
                new ConsoleRequest(ctx, null, templates).redirect("/console/sign-in" + back);
                return;
            }
        }
        ConsoleRequest request = new ConsoleRequest(ctx, session, templates);
        if (post && !security.originAllowed(ctx)) {
            problem(request, session, 403, "This form was sent from another site, so it was refused.");
            return;
        }
        if (post) {
            String expected = session != null ? session.csrfToken()
                    : ConsoleSecurity.cookieValue(ctx, ConsoleSecurity.FORM_COOKIE);
            if (!ConsoleSecurity.tokenMatches(request.field(ConsoleSecurity.CSRF_FIELD), expected)) {
                problem(request, session, 403, "This form has expired or did not come from this console. "
                        + "Go back, reload the page and send it again.");
                return;
            }
        }
        try {
            page.handle(request);
        } catch (NotFound e) {
            problem(request, session, 404);
        } catch (Unauthenticated e) {
            request.redirect("/console/sign-in");
        } catch (Refused e) {
            problem(request, session, 403, e.getMessage());
        } catch (InvalidInput e) {
            problem(request, session, 400, e.getMessage());
        } catch (ApiException e) {
            if (e.status() == 404) {
                problem(request, session, 404);
            } else if (e.status() >= 400 && e.status() < 500) {
                problem(request, session, e.status(), e.getMessage());
            } else {
                throw e;
            }
        } catch (RuntimeException e) {
            if (SqlErrors.isUnavailable(e)) {
                databaseUnavailable(request, session);
                return;
            }
            log.error("console page {} {} failed", ctx.request().method(), ctx.request().path(), e);
            problem(request, session, 500, "Something went wrong on the server. Try again in a moment.");
        }
    }

    /** The API's 503 as a page: the database cannot be reached just now (http.ErrorMapping answers the API's). */
    private void databaseUnavailable(ConsoleRequest request, Session session) {
        request.ctx().response().putHeader("Retry-After", Integer.toString(Unavailable.RETRY_AFTER_SECONDS));
        problem(request, session, 503, "The database cannot be reached just now. Try again in a few seconds.");
    }

    /** The one "not found" page: for a missing chatbot, key, webhook or lead and for another owner's alike. */
    private void problem(ConsoleRequest request, Session session, int status) {
        problem(request, session, status, "There is nothing here, or it is not yours. Check the address, "
                + "or go back to your chatbots.");
    }

    private void problem(ConsoleRequest request, Session session, int status, String message) {
        String heading = switch (status) {
            case 404 -> "Not found";
            case 403 -> "Refused";
            case 400 -> "That did not work";
            case 503 -> "Unavailable";
            default -> "Server error";
        };
        View view = session == null ? View.signedOut(heading, null) : View.of(session, heading, "", null);
        request.render(status, "problem.jte", view, new Views.Problem(status, heading, message));
    }
}
