package io.chatleads.console;

import io.chatleads.RandomIds;
import io.chatleads.account.Account;
import io.chatleads.account.Accounts;
import io.chatleads.account.SessionStore;
import io.chatleads.error.Conflict;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.error.Refused;
import io.chatleads.error.Unauthenticated;
import io.chatleads.http.RateLimits;

import java.util.Optional;

/** Signing in and out, self-service sign-up (when allowed) and invitations. */
final class SignInPages {

    static final String HOME = "/console/chatbots";

    private final Accounts accounts;
    private final ConsoleSecurity security;
    private final boolean trustForwardedFor;

    SignInPages(Accounts accounts, ConsoleSecurity security, boolean trustForwardedFor) {
        this.accounts = accounts;
        this.security = security;
        this.trustForwardedFor = trustForwardedFor;
    }

    void home(ConsoleRequest request) {
        boolean signedIn = accounts.sessions()
                .find(ConsoleSecurity.cookieValue(request.ctx(), ConsoleSecurity.SESSION_COOKIE)).isPresent();
        request.redirect(signedIn ? HOME : "/console/sign-in");
    }

    void form(ConsoleRequest request) {
        showSignIn(request, 200, Form.empty(), null, safeNext(request.query("next")));
    }

    void submit(ConsoleRequest request) {
        String email = request.field("email");
        String next = safeNext(request.field("next"));
        Form form = Form.empty().with("email", email);
        try {
            SessionStore.Created created = accounts.signIn(email, request.field("password"),
                    RateLimits.clientIp(request.ctx(), trustForwardedFor));
            security.setSessionCookie(request.ctx(), created.cookieValue(), accounts.sessions().lifetime());
            request.redirect(next);
        } catch (InvalidInput e) {
            showSignIn(request, 400, form, e.getMessage(), next);
        } catch (Unauthenticated e) {
            showSignIn(request, 401, form, e.getMessage(), next);
        } catch (Refused e) {
            showSignIn(request, 429, form, e.getMessage(), next);
        }
    }

    private void showSignIn(ConsoleRequest request, int status, Form form, String error, String next) {
        request.render(status, "signin.jte", View.signedOut("Sign in", formToken(request)),
                new Views.SignIn(form, error, accounts.signUpAllowed(), next));
    }

    void signOut(ConsoleRequest request) {
        accounts.sessions().end(request.session());
        security.clearSessionCookie(request.ctx());
        request.redirect("/console/sign-in");
    }

    void signUpForm(ConsoleRequest request) {
        requireSignUp();
        request.render("signup.jte", View.signedOut("Create an account", formToken(request)), new Views.SignUp(Form.empty()));
    }

    void signUp(ConsoleRequest request) {
        requireSignUp();
        String email = request.field("email");
        Form form = Form.empty().with("email", email);
        try {
            SessionStore.Created created = accounts.signUp(email, request.field("password"));
            security.setSessionCookie(request.ctx(), created.cookieValue(), accounts.sessions().lifetime());
            request.redirect(HOME);
            return;
        } catch (InvalidInput e) {
            form.error(e.getMessage().startsWith("password") ? "password" : "email", e.getMessage());
        } catch (Conflict e) {
            form.error("email", "an account with this email already exists; sign in instead");
        }
        request.render(400, "signup.jte", View.signedOut("Create an account", formToken(request)), new Views.SignUp(form));
    }

    private void requireSignUp() {
        if (!accounts.signUpAllowed()) {
            throw new NotFound("sign-up is off");
        }
    }

    void inviteForm(ConsoleRequest request) {
        String token = request.path("token");
        Account invited = accounts.invited(token).orElseThrow(() -> new NotFound("invitation"));
        request.render("invite.jte", View.signedOut("Choose your password", formToken(request)),
                new Views.Invite(token, invited.email(), Form.empty()));
    }

    void acceptInvite(ConsoleRequest request) {
        String token = request.path("token");
        Account invited = accounts.invited(token).orElseThrow(() -> new NotFound("invitation"));
        try {
            SessionStore.Created created = accounts.acceptInvite(token, request.field("password"));
            security.setSessionCookie(request.ctx(), created.cookieValue(), accounts.sessions().lifetime());
            request.redirect(HOME + "?notice=welcome");
        } catch (InvalidInput e) {
            request.render(400, "invite.jte", View.signedOut("Choose your password", formToken(request)),
                    new Views.Invite(token, invited.email(), Form.empty().error("password", e.getMessage())));
        }
    }

    /** The random value the signed-out forms carry, from its cookie, set here when the browser has none yet. */
    private String formToken(ConsoleRequest request) {
        String token = ConsoleSecurity.cookieValue(request.ctx(), ConsoleSecurity.FORM_COOKIE);
        if (token == null || token.length() != 32) {
            token = RandomIds.urlSafe(32);
            security.setFormCookie(request.ctx(), token);
        }
        return token;
    }

    /** Only a path of this console: "next" must not send a signed-in browser to another site. */
    static String safeNext(String next) {
        return Optional.ofNullable(next)
                .filter(n -> n.startsWith("/console/") && !n.startsWith("//") && !n.contains("\\") && !n.contains("://"))
                .filter(n -> !n.startsWith("/console/sign-"))
                .orElse(HOME);
    }
}
